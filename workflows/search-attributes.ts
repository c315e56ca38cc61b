import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type SearchAttributeUpdatePair,
} from '@temporalio/common';
import type { CaseState } from '../domain/types';

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

/** The values of a case's search attributes (null: not set). */
export function caseSearchAttributes(s: CaseState): SearchAttributeUpdatePair[] {
  return [
    { key: CaseStatusAttribute, value: s.status },
    { key: LeadDeptAttribute, value: s.matter.leadDept },
    { key: MatterCodeAttribute, value: s.matter.code },
    { key: CaseAlertAttribute, value: s.alert },
    { key: PendingDeptsAttribute, value: s.departments.filter((t) => t.status === 'pending').map((t) => t.dept) },
    { key: CaseDeadlineAttribute, value: s.deadline === undefined ? null : new Date(s.deadline) },
  ] as SearchAttributeUpdatePair[];
}

/** The same values for a start request, which takes only set ones. */
export function startSearchAttributes(s: CaseState): SearchAttributePair[] {
  return caseSearchAttributes(s).filter((p): p is SearchAttributePair => p.value !== null);
}

/** `--search-attribute Name=Type` arguments for the Temporal CLI dev server. */
export function searchAttributeCliArgs(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
    [SearchAttributeType.DATETIME]: 'Datetime',
  };
  return CASE_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
