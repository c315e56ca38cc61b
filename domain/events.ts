import type {
  Actor,
  Alert,
  Applicant,
  CaseRules,
  DeptFee,
  Decision,
  Material,
  MatterSnapshot,
  Opinion,
  Priority,
  TimeModelRef,
} from './types';

/** The working-day deadlines a new calendar may move (see domain/republication.ts). */
export type DeadlineKind =
  'case' | 'statutory' | 'department' | 'negative_review' | 'deferred' | 'verification' | 'remediation';
export interface RecomputedDeadline {
  kind: DeadlineKind;
  /** The department, for a department's due time. */
  dept?: string;
  /** The material, for a deferred material's due time. */
  code?: string;
  before: number;
  after: number;
}

/** Every change to a case, in the vocabulary of domain.md. Instants are epoch milliseconds. */
type EventPayload =
  | {
      type: 'submitted';
      data: {
        matter: MatterSnapshot;
        applicant: Applicant;
        priority: Priority;
        materials: string[];
        queryCodeHash: string;
        time: TimeModelRef;
        rules?: CaseRules;
        /** 容缺受理: materials to follow under the applicant's signed promise. */
        deferred?: {
          materials: { code: string; name: string; form: string }[];
          promise: { text: string; signedBy: string };
        };
        /** 告知承诺制: materials whose proof the applicant's written commitment replaces. */
        commitments?: Material[];
      };
    }
  | { type: 'materials_notice_issued'; data: { missing: Material[] } }
  | { type: 'materials_supplemented'; data: { materials: string[]; missing: Material[] } }
  | { type: 'accepted'; data: { deadline: number; statutoryDeadline: number; calendar: TimeModelRef } }
  | { type: 'refused'; data: { reason: string } }
  | { type: 'copied_to_department'; data: { dept: string; role: 'lead' | 'co'; round: number; dueAt: number } }
  | { type: 'opinion_given'; data: { dept: string; round: number; opinion: Opinion; supersedes?: Supersession } }
  | { type: 'opinion_deemed'; data: { dept: string; round: number; verdict: 'approve'; note: string } }
  | { type: 'review_completed'; data: { round: number } }
  | {
      type: 'supplement_notice_issued';
      data: { requests: { dept: string; materials: Material[] }[]; materials: Material[] };
    }
  | { type: 'clock_suspended'; data: { kind: 'supplement' | 'special_procedure'; from: number } }
  | { type: 'supplement_registered'; data: { materials: string[]; outstanding: string[] } }
  | {
      type: 'clock_resumed';
      data: {
        kind: 'supplement' | 'special_procedure';
        from: number;
        to: number;
        workingDays: number;
        deadline: number;
        statutoryDeadline: number;
        deptDueAt: Record<string, number>;
      };
    }
  | {
      type: 'meeting_convened';
      data: {
        meetingId: string;
        kind: 'site_inspection' | 'review_meeting';
        scheduledAt: string;
        departments: string[];
      };
    }
  | { type: 'minutes_recorded'; data: { meetingId: string; findings: { dept: string; text: string }[] } }
  | { type: 'special_procedure_started'; data: { procedureId: string; kind: string; reason: string } }
  | { type: 'special_procedure_ended'; data: { procedureId: string; outcome: string } }
  | { type: 'department_warned'; data: { dept: string; round: number; dueAt: number } }
  | { type: 'department_overdue'; data: { dept: string; round: number; dueAt: number } }
  | { type: 'case_warned'; data: { deadline: number; remainingWorkingDays: number } }
  | { type: 'case_overdue'; data: { deadline: number } }
  | {
      type: 'escalated';
      data: {
        scope: 'case' | 'department' | 'negative_review' | 'verification' | 'remediation';
        depts: string[];
        reason: string;
      };
    }
  | { type: 'urged'; data: { message: string; depts: string[] } }
  | {
      type: 'extension_granted';
      data: {
        workingDays: number;
        reason: string;
        totalDays: number;
        deadline: number;
        statutoryDeadline: number;
        alert: Alert;
      };
    }
  | { type: 'decided'; data: Omit<Decision, 'by' | 'at'> & { negativeReviewDueAt?: number } }
  | {
      type: 'negative_filing_reviewed';
      data: {
        outcome: 'confirm' | 'overturn';
        note: string;
        lateWorkingDays?: number;
        statutoryLateWorkingDays?: number;
      };
    }
  | { type: 'payment_notice_issued'; data: { items: DeptFee[]; totalCents: number; remindAt: number; dueAt: number } }
  | { type: 'payment_reminded'; data: { dueAt: number } }
  | {
      type: 'payment_confirmed';
      data: { paymentRef: string; amountCents: number; split: { dept: string; amountCents: number }[] };
    }
  | {
      type: 'completed';
      data: {
        resultNumber: string;
        onTime: boolean;
        lateWorkingDays: number;
        statutoryLateWorkingDays: number;
        usedWorkingDays: number;
      };
    }
  | {
      type: 'deadlines_recomputed';
      data: {
        calendar: string;
        previousCalendar: string;
        /** The years whose arrangement was published or corrected. */
        years: string[];
        deadlines: RecomputedDeadline[];
        alerts: {
          case: Alert;
          caseWarned: boolean;
          departments: { dept: string; round: number; warned: boolean; alert: Alert }[];
        };
      };
    }
  | { type: 'calendar_adopted'; data: { calendar: string; previousCalendar: string } }
  | { type: 'withdrawn'; data: { reason: string } }
  | { type: 'terminated'; data: { reason: string; code?: string } }
  | {
      type: 'deferral_accepted';
      data: {
        materials: { code: string; name: string; form: string; dueAt: number }[];
        promise: { text: string; signedBy: string };
        /** What happens if they do not come, as the acceptance notice tells the applicant. */
        consequence: string;
      };
    }
  | { type: 'rated'; data: { level: number; dimensions: Record<string, number>; comment?: string } }
  | { type: 'remediation_opened'; data: { dept: string; level: number; dueAt: number } }
  | { type: 'remediation_reassigned'; data: { from: string; dept: string } }
  | {
      type: 'remediation_recorded';
      data: { action: string; contactedApplicant: boolean; note: string; onTime: boolean };
    }
  | { type: 'deferred_materials_supplied'; data: { materials: string[]; outstanding: string[] } }
  | { type: 'verification_assigned'; data: { dept: string; dueAt: number; commitments: Material[] } }
  | { type: 'commitments_verified'; data: { outcome: 'confirmed' | 'false_commitment'; note: string; late: boolean } }
  | {
      type: 'approval_revoked';
      data: {
        reason: string;
        /** For the credit system (信用记录): who committed falsely, to what. */
        creditRecord: { applicantName: string; idNumber?: string; materials: Material[]; note: string };
      };
    }
  /**
   * An act received in time that can no longer be applied: the case moved past a point that cannot
   * be undone (a decision taken on the deemed opinion). Recorded so the supervisors are told; the
   * act itself is refused with `code`.
   */
  | {
      type: 'late_act_refused';
      data: {
        act: 'give_opinion';
        dept: string;
        round: number;
        receivedAt: number;
        dueAt: number;
        code: 'deadline_passed_unavailable';
        reason: string;
      };
    };

/** Which timer-driven event a given act replaces, and why (the act was received before it took effect). */
export interface Supersession {
  seq: number;
  type: 'opinion_deemed' | 'department_overdue';
  reason: string;
}

/**
 * The instant a timer-driven event's rule took effect (its due time), which may be earlier than
 * when it was processed (`at`) after an outage or in a backlog of timers.
 */
export type CaseEventBody = EventPayload & { effectiveAt?: number };

export type CaseEventType = CaseEventBody['type'];

export type CaseEvent = CaseEventBody & {
  caseNo: string;
  seq: number;
  /** When the event was applied (workflow time). */
  at: number;
  actor: Actor;
  /** A command's events: when the API received the command (the legal time of the act). */
  receivedAt?: number;
};

/** The legal time of an event: when its act was received, or when its rule took effect; else when it was applied. */
export const legalAt = (e: Pick<CaseEvent, 'at' | 'receivedAt' | 'effectiveAt'>): number =>
  e.receivedAt ?? e.effectiveAt ?? e.at;

/** Events that count as progress for "stuck" detection (timer noise does not). */
export const PROGRESS_EVENTS: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'submitted',
  'materials_supplemented',
  'accepted',
  'opinion_given',
  'opinion_deemed',
  'review_completed',
  'supplement_registered',
  'clock_resumed',
  'minutes_recorded',
  'special_procedure_ended',
  'decided',
  'negative_filing_reviewed',
  'payment_confirmed',
  'completed',
  'withdrawn',
  'refused',
  'terminated',
  'deferred_materials_supplied',
  'commitments_verified',
  'approval_revoked',
]);
