/**
 * The stable words a refusal is known by: clients rely on them, so each is kept once coined. The
 * domain says only *what* was refused; how a protocol answers it (the HTTP status) is the API's
 * concern, in one table (api/refusal-status.ts) that the compiler keeps complete.
 */
export type RefusalCode =
  | 'action_required'
  | 'already_rated'
  | 'already_verified'
  | 'amount_mismatch'
  | 'case_already_accepted'
  | 'case_already_decided'
  | 'case_closed'
  | 'case_not_deciding'
  | 'case_not_ended'
  | 'case_not_found'
  | 'case_not_in_review'
  | 'case_not_suspended'
  | 'clock_not_started'
  | 'commitment_not_allowed'
  | 'conditions_required'
  | 'deadline_passed_unavailable'
  | 'deferral_not_allowed'
  | 'deferred_materials_outstanding'
  | 'duplicate_fee_item'
  | 'duplicate_material'
  | 'extension_limit'
  | 'fee_above_standard'
  | 'fee_dept_not_reviewing'
  | 'forbidden_role'
  | 'invalid_calendar'
  | 'invalid_date'
  | 'invalid_extension'
  | 'invalid_period'
  | 'invalid_rating'
  | 'invalid_topic'
  | 'materials_required'
  | 'meeting_not_found'
  | 'minutes_already_recorded'
  | 'no_open_remediation'
  | 'no_verification_pending'
  | 'not_awaiting_materials'
  | 'not_awaiting_payment'
  | 'not_awaiting_supplement'
  | 'not_in_negative_review'
  | 'not_lead_department'
  | 'not_own_department'
  | 'not_responsible_department'
  | 'not_reviewing_department'
  | 'not_verifying_department'
  | 'note_required'
  | 'opinion_already_given'
  | 'opinion_deemed'
  | 'opinions_pending'
  | 'procedure_already_ended'
  | 'procedure_not_found'
  | 'promise_required'
  | 'reason_required'
  | 'rejecting_opinion_stands'
  | 'republication_not_found'
  | 'too_many_views'
  | 'unknown_department'
  | 'unknown_fee_item'
  | 'unknown_material'
  | 'unknown_matter'
  | 'view_name_taken';

/** A business rule refused a command. `code` is the stable machine word clients rely on. */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

export const refusal = (code: RefusalCode, message: string) => new DomainError(code, message);
