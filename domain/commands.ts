import type { WorkingCalendar } from './calendar';
import type { Applicant, CaseRules, Material, MatterSnapshot, Opinion, Priority } from './types';

/** What users (and the passing of time) ask of a case. */
export type CaseCommand =
  | {
      type: 'submit';
      caseNo: string;
      matter: MatterSnapshot;
      applicant: Applicant;
      priority: Priority;
      materials: string[];
      /** Only in cases submitted before issue 15: the query code's hash now stays out of events. */
      queryCodeHash?: string;
      /** 容缺受理: deferrable materials to follow, under the applicant's signed promise. */
      deferredMaterials?: string[];
      promise?: { text: string; signedBy: string };
      /** 告知承诺制: materials whose proof a written commitment replaces. */
      commitments?: string[];
      /** Set by the workflow (behind a version patch): the rule corrections this case runs under. */
      rules?: CaseRules;
    }
  | { type: 'register_materials'; materials: string[] }
  | { type: 'refuse'; reason: string }
  | { type: 'give_opinion'; opinion: Opinion }
  | { type: 'register_supplement'; materials: string[] }
  | { type: 'convene_meeting'; kind: 'site_inspection' | 'review_meeting'; scheduledAt: string; departments: string[] }
  | { type: 'record_minutes'; meetingId: string; findings: { dept: string; text: string }[] }
  | { type: 'start_special_procedure'; kind: string; reason: string }
  | { type: 'end_special_procedure'; procedureId: string; outcome: string }
  | { type: 'decide'; decision: 'approve' | 'reject'; reason?: string; legalBasis?: string; overruleReason?: string }
  | { type: 'review_negative_filing'; outcome: 'confirm' | 'overturn'; note?: string }
  | { type: 'confirm_payment'; paymentRef: string; amountCents: number }
  | { type: 'urge'; message: string }
  | { type: 'extend'; workingDays: number; reason: string }
  | { type: 'withdraw'; reason: string }
  /** 告知承诺制: the verifying department's check of the commitments after approval. */
  | { type: 'verify_commitments'; outcome: 'confirmed' | 'false_commitment'; note: string }
  /** 好差评: the applicant rates an ended case; REMEDIATION_DAYS comes from the configuration. */
  | { type: 'rate'; level: number; dimensions?: Record<string, number>; comment?: string; remediationDays: number }
  | { type: 'reassign_remediation'; dept: string }
  | { type: 'record_remediation'; action: string; contactedApplicant: boolean; note?: string }
  /** The system adopts the calendar in force (a year published or corrected). */
  | { type: 'apply_calendar'; calendar: WorkingCalendar }
  /** Time has passed: emit whatever the timers make due at `now`. */
  | { type: 'tick' };

export type CaseCommandType = CaseCommand['type'];
export type { Material };
