import type { RefusalCode } from '../domain/errors';

/** HTTP class of a refusal: 403 role or department, 404 unknown thing, 409 state, 422 invalid input. */
export type RefusalStatus = 403 | 404 | 409 | 422;

/**
 * The one map from a domain refusal to its HTTP status. A refusal that crosses the workflow arrives
 * as an ApplicationFailure whose type is the code, so it is looked up here too.
 */
export const REFUSAL_STATUS: Record<RefusalCode, RefusalStatus> = {
  forbidden_role: 403,
  not_lead_department: 403,
  not_own_department: 403,
  not_responsible_department: 403,
  not_reviewing_department: 403,
  not_verifying_department: 403,
  case_not_found: 404,
  meeting_not_found: 404,
  procedure_not_found: 404,
  republication_not_found: 404,
  already_rated: 409,
  already_verified: 409,
  amount_mismatch: 409,
  case_already_accepted: 409,
  case_already_decided: 409,
  case_closed: 409,
  case_not_deciding: 409,
  case_not_ended: 409,
  case_not_in_review: 409,
  case_not_suspended: 409,
  clock_not_started: 409,
  deadline_passed_unavailable: 409,
  deferred_materials_outstanding: 409,
  minutes_already_recorded: 409,
  no_open_remediation: 409,
  no_verification_pending: 409,
  not_awaiting_materials: 409,
  not_awaiting_payment: 409,
  not_awaiting_supplement: 409,
  not_in_negative_review: 409,
  opinion_already_given: 409,
  opinion_deemed: 409,
  opinions_pending: 409,
  procedure_already_ended: 409,
  view_name_taken: 409,
  action_required: 422,
  commitment_not_allowed: 422,
  conditions_required: 422,
  deferral_not_allowed: 422,
  duplicate_fee_item: 422,
  duplicate_material: 422,
  extension_limit: 422,
  fee_above_standard: 422,
  fee_dept_not_reviewing: 422,
  invalid_calendar: 422,
  invalid_date: 422,
  invalid_extension: 422,
  invalid_period: 422,
  invalid_rating: 422,
  invalid_topic: 422,
  materials_required: 422,
  note_required: 422,
  promise_required: 422,
  reason_required: 422,
  rejecting_opinion_stands: 422,
  too_many_views: 422,
  unknown_department: 422,
  unknown_fee_item: 422,
  unknown_material: 422,
  unknown_matter: 422,
};

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSAL_STATUS, code);
}
