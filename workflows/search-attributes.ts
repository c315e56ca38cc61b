import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes each case workflow keeps current, so that `temporal workflow list
 * --query` finds stuck cases the same way the supervision API does. Within SQL visibility's
 * limits (10 Keyword, 3 Datetime, 3 KeywordList).
 */
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const LeadDept = defineSearchAttributeKey('LeadDept', SearchAttributeType.KEYWORD);
export const MatterCode = defineSearchAttributeKey('MatterCode', SearchAttributeType.KEYWORD);
export const CaseAlert = defineSearchAttributeKey('CaseAlert', SearchAttributeType.KEYWORD);
export const PendingDepts = defineSearchAttributeKey('PendingDepts', SearchAttributeType.KEYWORD_LIST);
export const CaseDeadline = defineSearchAttributeKey('CaseDeadline', SearchAttributeType.DATETIME);

export const CASE_SEARCH_ATTRIBUTES = [CaseStatus, LeadDept, MatterCode, CaseAlert, PendingDepts, CaseDeadline];

/** `--search-attribute Name=Type` arguments for the Temporal CLI dev server. */
export function searchAttributeCliArgs(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
    [SearchAttributeType.DATETIME]: 'Datetime',
  };
  return CASE_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
