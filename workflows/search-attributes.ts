import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes each case workflow keeps current, so that `temporal workflow list
 * --query` finds stuck cases the same way the supervision API does. Within SQL visibility's
 * limits (10 Keyword, 3 Datetime, 3 KeywordList).
 */
export const CaseStatusAttribute = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const LeadDeptAttribute = defineSearchAttributeKey('LeadDept', SearchAttributeType.KEYWORD);
export const MatterCodeAttribute = defineSearchAttributeKey('MatterCode', SearchAttributeType.KEYWORD);
export const CaseAlertAttribute = defineSearchAttributeKey('CaseAlert', SearchAttributeType.KEYWORD);
export const PendingDeptsAttribute = defineSearchAttributeKey('PendingDepts', SearchAttributeType.KEYWORD_LIST);
export const CaseDeadlineAttribute = defineSearchAttributeKey('CaseDeadline', SearchAttributeType.DATETIME);

export const CASE_SEARCH_ATTRIBUTES = [
  CaseStatusAttribute,
  LeadDeptAttribute,
  MatterCodeAttribute,
  CaseAlertAttribute,
  PendingDeptsAttribute,
  CaseDeadlineAttribute,
];

/** `--search-attribute Name=Type` arguments for the Temporal CLI dev server. */
export function searchAttributeCliArgs(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
    [SearchAttributeType.DATETIME]: 'Datetime',
  };
  return CASE_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
