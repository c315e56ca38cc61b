import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CalendarYearData } from '../domain/calendar';
import type { CaseEventBody } from '../domain/events';
import type { Alert, CaseState, CaseStatus, DeptTask, MatterSnapshot, Priority, Role } from '../domain/types';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
// Written as JSON text: pg would turn a JS array into a PostgreSQL array, not jsonb.
type Json<T> = ColumnType<T, string, string>;

export interface DepartmentTable {
  code: string;
  name: string;
  webhook_url: string | null;
  /** Signs each webhook call (HMAC-SHA256); shown to administrators only. */
  webhook_secret: string | null;
  updated_at: Generated<Timestamp>;
}

export interface MatterTable {
  code: string;
  name: string;
  lead_dept: string;
  /** The whole matter definition as the catalog holds it; cases snapshot it at submission. */
  definition: Json<MatterSnapshot>;
  updated_at: Generated<Timestamp>;
}

export interface CalendarYearTable {
  year: number;
  holidays: Json<string[]>;
  workdays: Json<string[]>;
  updated_at: Generated<Timestamp>;
}

/** Calendars by content version, so any recorded deadline can be explained later. */
export interface CalendarVersionTable {
  version: string;
  years: Json<Record<string, CalendarYearData>>;
  created_at: Generated<Timestamp>;
}

/** A publication or correction of a calendar year reaching the open cases (see workflows/republication-workflow.ts). */
export interface CalendarRepublicationTable {
  id: Generated<string>;
  year: number;
  version: string;
  affected_cases: number;
  signalled: Generated<number>;
  closed: Generated<number>;
  recomputed: number | null;
  adopted: number | null;
  missed: number | null;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: Timestamp | null;
}

/** Idempotency of case creation: one key of one caller, one case number, one query code (kept hashed). */
export interface CaseRequestTable {
  /** The caller the key belongs to (role:dept:sub); '' for keys from before keys were scoped. */
  scope: Generated<string>;
  idempotency_key: string;
  case_no: string;
  /** Legacy plain code; null once hashed (migration 2026-12-01T1600_query_code_hash). */
  query_code: string | null;
  /** `v1$salt$hmac` (api/query-codes.ts). */
  query_code_hash: string | null;
  /** The code sealed for a day's replays to the submitting window; null after. */
  query_code_sealed: string | null;
  created_at: Generated<Timestamp>;
}

/** The append-only event store. (case_no, seq) makes every append idempotent. */
export interface CaseEventTable {
  case_no: string;
  seq: number;
  type: CaseEventBody['type'];
  /** The event's `data`, of the shape its `type` gives it in domain/events.ts. */
  data: Json<CaseEventBody['data']>;
  actor_sub: string;
  actor_role: Role;
  actor_dept: string | null;
  actor_name: string | null;
  occurred_at: Timestamp;
  /** A command's event: when the API received the act (its legal time). */
  received_at: Timestamp | null;
  /** A timer-driven event: when its rule took effect (the due instant). */
  effective_at: Timestamp | null;
  /** The Update whose command decided the event (a case appending by local activity); null otherwise. */
  update_id: string | null;
  recorded_at: Generated<Timestamp>;
}

/**
 * Every command, durably received before it is sent to its case: keyed by caller and
 * Idempotency-Key, with the request's fingerprint and, once known, the answer a retry replays.
 */
export interface CommandReceiptTable {
  id: string;
  scope: string;
  key: string;
  /** Which command route it came by (its answer's shape): 'submit', 'opinions', 'payment', … */
  route: string;
  fingerprint: string;
  case_no: string | null;
  payload: Json<unknown>;
  received_at: Timestamp;
  state: Generated<'received' | 'answered'>;
  response_status: number | null;
  response_body: Json<unknown> | null;
  answered_at: Timestamp | null;
  attempts: Generated<number>;
  attempted_at: Timestamp | null;
}

/** A timer's events decided ahead of their due time, recorded at it by the sweeper (or the case itself). */
export interface HeldBatchTable {
  id: string;
  case_no: string;
  first_seq: number;
  due_at: Timestamp;
  /** The events as stored (CaseEvent[], `at` = the due time). */
  events: Json<unknown>;
  state: Generated<'held' | 'recorded' | 'withdrawn'>;
  /** The webhook deliveries its recording called for, for the case to start. */
  webhooks: Json<unknown> | null;
  /** Its write, compiled when held (PreparedWrite), for the sweeper to run as it is. */
  prepared: Json<unknown> | null;
  held_at: Generated<Timestamp>;
  settled_at: Timestamp | null;
}

/** The one row case numbers are taken from, inside the transaction that records the submission. */
export interface CaseNumberCounterTable {
  id: number;
  last: number;
}

/** Projection: one row per case, with the folded state for the full view. */
export interface CaseTable {
  case_no: string;
  matter_code: string;
  status: CaseStatus;
  priority: Priority;
  lead_dept: string;
  applicant_name: string;
  /** No longer written (the unsalted hash of old events); kept nullable for old databases. */
  query_code_hash: string | null;
  submitted_at: Timestamp;
  accepted_at: Timestamp | null;
  deadline: Timestamp | null;
  statutory_deadline: Timestamp | null;
  alert: Alert;
  last_seq: number;
  last_progress_at: Timestamp;
  decided_at: Timestamp | null;
  completed_at: Timestamp | null;
  /** The whole folded state, what the full view is made of. */
  state: Json<CaseState>;
}

/** Projection: one row per department review task and round. */
export interface CaseTaskTable {
  case_no: string;
  dept: string;
  round: number;
  role: DeptTask['role'];
  matter_code: string;
  status: DeptTask['status'];
  verdict: string | null;
  assigned_at: Timestamp;
  due_at: Timestamp;
  alert: Alert;
  given_at: Timestamp | null;
  late_working_days: number;
  working_days_to_opinion: number | null;
  deemed: boolean;
  urged: number;
  open: boolean;
  /** The case's last_progress_at, copied so that a department's open tasks can be read in the supervision lists' order. */
  case_progress_at: Timestamp;
}

export interface CaseFeeTable {
  case_no: string;
  dept: string;
  item: string;
  amount_cents: number;
  paid_at: Timestamp | null;
}

/** Department inbox: copies, warnings, escalations, urges. Key is the receiver's idempotency key. */
export interface NotificationTable {
  key: string;
  dept: string;
  case_no: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

/** A named filter a person keeps for one console screen. */
export interface SavedViewTable {
  id: string;
  owner_sub: string;
  screen: string;
  name: string;
  filters: Json<Record<string, unknown>>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One-time tickets opening a Server-Sent Events stream; the ticket itself is never stored, only its hash. */
export interface StreamTicketTable {
  ticket_hash: string;
  actor: Json<{ sub: string; role: string; dept?: string; name?: string }>;
  topics: Json<string[]>;
  /** The ticket must be redeemed before this. */
  expires_at: Timestamp;
  /** The stream it opens ends by then (when the bearer token it was issued for expires). */
  stream_until: Timestamp;
  used_at: Timestamp | null;
}

/** Each department's last webhook delivery attempt (failing since when, with what error). */
export interface DepartmentDeliveryTable {
  dept: string;
  last_attempt_at: Timestamp;
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
  last_error: string | null;
  failing_since: Timestamp | null;
  consecutive_failures: Generated<number>;
}

/**
 * Projection: a department's assessment figures per Shanghai calendar day its tasks were assigned
 * (migration 2026-11-23T1400_department_figures), so a period's statistics add up a few rows.
 */
export interface DeptTaskFiguresTable {
  /** Shanghai calendar day number (domain/calendar.ts `shanghaiDayOf`). */
  day: number;
  dept: string;
  received: number;
  given: number;
  on_time: number;
  late: number;
  late_working_days: number;
  deemed: number;
  urged: number;
}

/** Projection: given opinions per department and day, by their working days to opinion (median, p90). */
export interface DeptOpinionDaysTable {
  day: number;
  dept: string;
  working_days: number;
  tasks: number;
}

export interface Database {
  departments: DepartmentTable;
  matters: MatterTable;
  calendar_years: CalendarYearTable;
  calendar_versions: CalendarVersionTable;
  calendar_republications: CalendarRepublicationTable;
  case_requests: CaseRequestTable;
  command_receipts: CommandReceiptTable;
  held_batches: HeldBatchTable;
  case_number_counter: CaseNumberCounterTable;
  case_events: CaseEventTable;
  cases: CaseTable;
  case_tasks: CaseTaskTable;
  case_fees: CaseFeeTable;
  notifications: NotificationTable;
  saved_views: SavedViewTable;
  stream_tickets: StreamTicketTable;
  department_deliveries: DepartmentDeliveryTable;
  dept_task_figures: DeptTaskFiguresTable;
  dept_opinion_days: DeptOpinionDaysTable;
}

export type CaseEventRow = Selectable<CaseEventTable>;
