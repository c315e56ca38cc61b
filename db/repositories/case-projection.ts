import { CompiledQuery, sql, type OnConflictBuilder, type QueryCreator } from 'kysely';
import { shanghaiDayOf, type TimeModel } from '../../domain/calendar';
import type { CaseEvent } from '../../domain/events';
import { fold } from '../../domain/evolve';
import { noticesFor, type Notice } from '../../domain/notifications';
import { taskFigures } from '../../domain/lateness';
import { UNDER_REVIEW } from '../../domain/status';
import type { CaseState } from '../../domain/types';
import type { Db, DbOrTrx } from '../index';
import type { Database } from '../schema';
import { CASE_CHANGES_CHANNEL, caseChangePayload } from './case-changes';
import { caseEventsWithUpdates, fromEventRow, toEventRow } from './case-events';
import { resolveTimeModel } from './calendars';

export interface WebhookDelivery {
  key: string;
  url: string;
  payload: Record<string, unknown>;
}

/**
 * Appends a case's new events and brings every projection up to date in one transaction.
 * Idempotent: events at or below the projected sequence are not written again, so a retried activity
 * changes nothing; it still answers the deliveries of those events' notices not delivered yet (the
 * first attempt may have committed and its answer been lost), so no webhook is missed.
 * Returns the webhook deliveries the batch's events call for.
 *
 * Four statements per batch, whatever it holds: BEGIN; one read (the case row, locked, with its task
 * rows' figures); one write (every table, as data-modifying CTEs of a single statement, which also
 * announces the change to the live streams and answers the departments' webhook addresses); COMMIT.
 * A batch already stored costs BEGIN, the read, one read of its notices (if it has any), COMMIT.
 */
export async function appendAndProject(
  db: Db,
  caseNo: string,
  events: readonly CaseEvent[],
): Promise<WebhookDelivery[]> {
  return db.transaction().execute((trx) => appendAndProjectIn(trx, caseNo, events));
}

/**
 * appendAndProject's work inside a transaction the caller holds (the held-batch sweeper records many
 * cases' batches in one): the case row is locked until that transaction ends.
 */
export async function appendAndProjectIn(
  trx: DbOrTrx,
  caseNo: string,
  events: readonly CaseEvent[],
  /** The case as `lockCases` read it in this transaction (the sweeper reads a whole chunk at once). */
  locked?: LockedCase,
): Promise<WebhookDelivery[]> {
  const row = locked ?? (await lockCases(trx, [caseNo])).get(caseNo);
  const lastSeq = row?.last_seq ?? 0;
  const fresh = events.filter((e) => e.seq > lastSeq);
  // Stored before: a retry whose first attempt committed but whose answer was lost. The workflow
  // never saw that attempt's deliveries, so they are answered again from the notices it stored.
  const stored = fresh.length < events.length ? events.filter((e) => e.seq <= lastSeq) : [];
  const redelivered = stored.length ? await storedDeliveries(trx, row!.state, stored) : [];
  if (!fresh.length) return redelivered;
  if (fresh[0]!.seq !== lastSeq + 1) throw new Error(`event gap for ${caseNo}: have ${lastSeq}, got ${fresh[0]!.seq}`);
  const { write, notices } = await plannedWrite(trx, row, fresh);
  return [...redelivered, ...deliveriesOf(notices, webhookUrls(await write.executeTakeFirstOrThrow()))];
}

/**
 * Appends a batch only if it directly follows the case as stored (held timer events, decided
 * against the case as it was): undefined, having written nothing, when anything was appended since.
 */
export async function appendFollowingIn(
  trx: DbOrTrx,
  caseNo: string,
  events: readonly CaseEvent[],
  locked?: LockedCase,
): Promise<WebhookDelivery[] | undefined> {
  const row = locked ?? (await lockCases(trx, [caseNo])).get(caseNo);
  if (!events.length || events[0]!.seq !== (row?.last_seq ?? 0) + 1) return undefined;
  const { write, notices } = await plannedWrite(trx, row, events);
  return deliveriesOf(notices, webhookUrls(await write.executeTakeFirstOrThrow()));
}

/** The one write of a batch following the case as read (`row`), and the notices it files. */
async function plannedWrite(
  trx: DbOrTrx,
  row: LockedCase | undefined,
  fresh: readonly CaseEvent[],
  updateIds?: readonly (string | null)[],
) {
  const state = fold(fresh, row?.state);
  const time = await resolveTimeModel(trx, state.time);
  const storedTasks = (row?.tasks ?? []).map((t) => ({ ...t, assigned_at: new Date(t.assigned_at) }));
  const notices = fresh.flatMap((e) => noticesFor(e, state));
  return { write: batchWrite(trx, state, time, fresh, storedTasks, notices, updateIds), notices };
}

/**
 * What a case's own append (by local activity, patch l14-local-append) found: its batch recorded,
 * or events after the case's last known seq already there. Those a workflow task of the case
 * recorded and then lost (a worker crash or a task timeout before its completion reached Temporal):
 * the case adopts them, with the Updates that decided them, instead of deciding them anew.
 */
export type AppendOutcome =
  | { recorded: WebhookDelivery[] }
  | {
      adopted: {
        events: CaseEvent[];
        /** Aligned with `events`: the Update whose command decided each (null for timer events). */
        updateIds: (string | null)[];
        /** The time model of the state after them (a lost task may have adopted a calendar). */
        time: TimeModel;
        /** Their notices' webhooks not delivered yet (the lost task never started them). */
        webhooks: WebhookDelivery[];
      };
    };

/**
 * Appends a batch that must directly follow `afterSeq`, the last seq the case knows recorded, with
 * the Update of each event; the same four statements as appendAndProject. When the store already
 * holds events after `afterSeq` nothing is written, and the outcome is those events (adopted),
 * whether a lost task or this very append's earlier attempt (committed, its answer lost) wrote them:
 * either way they are what the case now is. An empty batch writes nothing and only learns that (a
 * case reads the store so before it refuses a command).
 */
export async function appendAfter(
  db: Db,
  caseNo: string,
  afterSeq: number,
  events: readonly CaseEvent[],
  updateIds: readonly (string | null)[],
): Promise<AppendOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = (await lockCases(trx, [caseNo])).get(caseNo);
    const lastSeq = row?.last_seq ?? 0;
    if (lastSeq < afterSeq) throw new Error(`event gap for ${caseNo}: have ${lastSeq}, the case knows ${afterSeq}`);
    if (lastSeq === afterSeq) {
      // An empty batch only reads the store (a case about to refuse a command): nothing after afterSeq.
      if (!events.length) return { recorded: [] };
      if (events[0]!.seq !== afterSeq + 1)
        throw new Error(`event gap for ${caseNo}: have ${lastSeq}, got ${events[0]?.seq}`);
      const { write, notices } = await plannedWrite(trx, row, events, updateIds);
      return { recorded: deliveriesOf(notices, webhookUrls(await write.executeTakeFirstOrThrow())) };
    }
    const { events: stored, updateIds: storedUpdates } = await caseEventsWithUpdates(trx, caseNo, afterSeq);
    return {
      adopted: {
        events: stored,
        updateIds: storedUpdates,
        time: await resolveTimeModel(trx, row!.state.time),
        webhooks: await storedDeliveries(trx, row!.state, stored),
      },
    };
  });
}

/**
 * A batch's whole write, compiled ahead of time (held timer events: their sweeper then only runs
 * it). Valid while the case's last seq is still `afterSeq`: with no event appended since, its row,
 * task rows and figures are as they were read, so the same write results.
 */
export interface PreparedWrite {
  afterSeq: number;
  sql: string;
  parameters: unknown[];
  notices: Pick<Notice, 'key' | 'kind' | 'dept' | 'at' | 'payload'>[];
}

/** Compiles the write of a batch that directly follows the case as stored now; undefined if it does not. */
export async function prepareAppend(
  db: DbOrTrx,
  caseNo: string,
  events: readonly CaseEvent[],
): Promise<PreparedWrite | undefined> {
  const row = (await lockCases(db, [caseNo], { lock: false })).get(caseNo);
  const lastSeq = row?.last_seq ?? 0;
  if (!row || !events.length || events[0]!.seq !== lastSeq + 1) return undefined;
  const { write, notices } = await plannedWrite(db, row, events);
  const compiled = write.compile();
  return {
    afterSeq: lastSeq,
    sql: compiled.sql,
    parameters: [...compiled.parameters],
    notices: notices.map(({ key, kind, dept, at, payload }) => ({ key, kind, dept, at, payload })),
  };
}

/**
 * Runs a prepared write inside the caller's transaction, the case row locked (`locked`, read by
 * lockCases in it); undefined, having written nothing, when the case moved on since it was prepared.
 */
export async function runPreparedAppend(
  trx: DbOrTrx,
  locked: LockedCase | undefined,
  prepared: PreparedWrite,
): Promise<WebhookDelivery[] | undefined> {
  if ((locked?.last_seq ?? 0) !== prepared.afterSeq) return undefined;
  const result = await trx.executeQuery<{ urls: { code: string; url: string }[] }>(
    CompiledQuery.raw(prepared.sql, prepared.parameters),
  );
  return deliveriesOf(prepared.notices, webhookUrls(result.rows[0]!));
}

const webhookUrls = (answer: { urls: { code: string; url: string }[] }) =>
  new Map(answer.urls.map((d) => [d.code, d.url]));

const deliveriesOf = (notices: PreparedWrite['notices'], urls: Map<string, string>): WebhookDelivery[] =>
  notices.filter((n) => urls.has(n.dept)).map((n) => webhookDelivery(n, urls.get(n.dept)!));

/** What a department's webhook is sent for a notice (the same body whether first answered or answered again). */
function webhookDelivery(n: Pick<Notice, 'key' | 'kind' | 'dept' | 'at' | 'payload'>, url: string): WebhookDelivery {
  return {
    key: n.key,
    url,
    payload: { key: n.key, kind: n.kind, dept: n.dept, at: new Date(n.at).toISOString(), ...n.payload },
  };
}

/**
 * The webhook deliveries of events already stored, from the notices stored with them (exactly once,
 * by key) that are not delivered yet: one statement, and none when those events notify nobody.
 * A notice's key depends only on its event and receiver, so the current state names them.
 */
async function storedDeliveries(
  trx: DbOrTrx,
  state: CaseState,
  events: readonly CaseEvent[],
): Promise<WebhookDelivery[]> {
  const keys = events.flatMap((e) => noticesFor(e, state).map((n) => n.key));
  if (!keys.length) return [];
  const rows = await trx
    .selectFrom('notifications as n')
    .innerJoin('departments as d', 'd.code', 'n.dept')
    .select(['n.key', 'n.kind', 'n.dept', 'n.created_at', 'n.payload', 'd.webhook_url'])
    .where('n.key', 'in', keys)
    .where('n.delivered_at', 'is', null)
    .where('d.webhook_url', 'is not', null)
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.flatMap((key) => {
    const r = byKey.get(key);
    return r ? [webhookDelivery({ ...r, at: new Date(r.created_at).getTime() }, r.webhook_url!)] : [];
  });
}

/** What an append needs of a case as stored: its last seq, its state, its task rows' figures. */
export interface LockedCase {
  case_no: string;
  last_seq: number;
  state: CaseState;
  tasks: StoredTask[] | null;
}

/**
 * Reads and locks (FOR UPDATE, in case-number order, so concurrent lockers never deadlock on them)
 * the rows of cases about to take events, with their task rows' figure columns: one statement.
 */
export async function lockCases(
  trx: DbOrTrx,
  caseNos: readonly string[],
  { lock = true }: { lock?: boolean } = {},
): Promise<Map<string, LockedCase>> {
  if (!caseNos.length) return new Map();
  const query = trx
    .selectFrom('cases')
    .select((eb) => [
      'case_no',
      'last_seq',
      'state',
      eb
        .selectFrom('case_tasks')
        .select(
          sql<StoredTask[]>`coalesce(json_agg(json_build_object(${sql.join(
            STORED_TASK_COLUMNS.map((c) => sql`${sql.lit(c)}, ${sql.ref(`case_tasks.${c}`)}`),
          )})), '[]'::json)`.as('tasks'),
        )
        .whereRef('case_tasks.case_no', '=', 'cases.case_no')
        .as('tasks'),
    ])
    .where('case_no', 'in', [...caseNos])
    .orderBy('case_no');
  const rows = await (lock ? query.forUpdate() : query).execute();
  return new Map(rows.map((r) => [r.case_no, r as LockedCase]));
}

/** What the live projection needs of a case's stored task rows: their key and their share of the figures. */

/**
 * One statement: the events, the case row, its task rows, the department figures' changes, the
 * inbox notices and (with fee events) the fee rows, each a data-modifying CTE; it answers the
 * webhook addresses of the departments the notices go to. The figure rows are sorted by key, so
 * concurrent projections lock them in the same order.
 */
function batchWrite(
  trx: DbOrTrx,
  state: CaseState,
  time: TimeModel,
  fresh: readonly CaseEvent[],
  stored: (FigureRow & { round: number })[],
  notices: ReturnType<typeof noticesFor>,
  updateIds?: readonly (string | null)[],
) {
  // Kysely types a chain of CTEs by name; this one is built from parts, so it is typed by its result.
  let q = trx.with('ev', (db) =>
    db
      .insertInto('case_events')
      .values(fresh.map((e, i) => toEventRow(e, updateIds?.[i])))
      .onConflict((oc) => oc.columns(['case_no', 'seq']).doNothing())
      .returning('seq'),
  ) as unknown as QueryCreator<Database>;
  const row = caseRow(state);
  const { case_no: _key, ...update } = row;
  q = q.with('c', (db) =>
    db
      .insertInto('cases')
      .values(row)
      .onConflict((oc) => oc.column('case_no').doUpdateSet(update))
      .returning('case_no'),
  ) as unknown as QueryCreator<Database>;
  if (state.departments.length) {
    const rows = taskRows(state, time);
    const figures = new DepartmentFigures();
    const replaced = new Map(stored.map((t) => [`${t.dept}\u0000${t.round}`, t]));
    for (const r of rows) {
      const before = replaced.get(`${r.dept}\u0000${r.round}`);
      if (before) figures.add(before, -1);
      figures.add(before ? { ...r, assigned_at: before.assigned_at } : r, 1); // the upsert keeps assigned_at
    }
    q = q.with('t', (db) =>
      db.insertInto('case_tasks').values(rows).onConflict(upsertTaskConflict).returning('dept'),
    ) as unknown as QueryCreator<Database>;
    const { figures: f, days } = figures.changes();
    if (f.length) q = q.with('f', (db) => figuresUpsert(db, f).returning('day')) as unknown as QueryCreator<Database>;
    if (days.length)
      q = q.with('d', (db) => opinionDaysUpsert(db, days).returning('day')) as unknown as QueryCreator<Database>;
  }
  if (notices.length)
    q = q.with('n', (db) =>
      db
        .insertInto('notifications')
        .values(
          notices.map((n) => ({
            key: n.key,
            dept: n.dept,
            case_no: n.caseNo,
            kind: n.kind,
            payload: JSON.stringify(n.payload),
            created_at: new Date(n.at),
            delivered_at: null,
          })),
        )
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key'),
    ) as unknown as QueryCreator<Database>;
  if (fresh.some((e) => e.type === 'payment_notice_issued' || e.type === 'payment_confirmed')) {
    const fees = feeRows(state);
    // Upsert the items the case has now and delete the others (sibling CTEs see one snapshot, so a
    // delete-then-insert of the same key would collide).
    if (fees.length)
      q = q.with('fu', (db) =>
        db
          .insertInto('case_fees')
          .values(fees)
          .onConflict((oc) =>
            oc.columns(['case_no', 'dept', 'item']).doUpdateSet((eb) => ({
              amount_cents: eb.ref('excluded.amount_cents'),
              paid_at: eb.ref('excluded.paid_at'),
            })),
          )
          .returning('item'),
      ) as unknown as QueryCreator<Database>;
    q = q.with('fd', (db) =>
      db
        .deleteFrom('case_fees')
        .where('case_no', '=', state.caseNo)
        .where(
          sql<boolean>`(dept, item) not in (select * from unnest(${fees.map((f) => f.dept)}::text[], ${fees.map((f) => f.item)}::text[]))`,
        )
        .returning('item'),
    ) as unknown as QueryCreator<Database>;
  }
  // The live streams hear of the change when (and only if) this transaction commits (see case-changes).
  const depts = [...new Set(notices.map((n) => n.dept))];
  return q.selectNoFrom([
    sql<unknown>`(select pg_notify(${CASE_CHANGES_CHANNEL}, ${caseChangePayload(state, fresh)}))`.as('notified'),
    sql<
      { code: string; url: string }[]
    >`(select coalesce(json_agg(json_build_object('code', code, 'url', webhook_url)), '[]'::json)
        from departments where code = any(${depts}::text[]) and webhook_url is not null)`.as('urls'),
  ]);
}

function upsertTaskConflict(oc: OnConflictBuilder<Database, 'case_tasks'>) {
  return oc.columns(['case_no', 'dept', 'round']).doUpdateSet((eb) => ({
    status: eb.ref('excluded.status'),
    verdict: eb.ref('excluded.verdict'),
    due_at: eb.ref('excluded.due_at'),
    alert: eb.ref('excluded.alert'),
    given_at: eb.ref('excluded.given_at'),
    late_working_days: eb.ref('excluded.late_working_days'),
    working_days_to_opinion: eb.ref('excluded.working_days_to_opinion'),
    deemed: eb.ref('excluded.deemed'),
    urged: eb.ref('excluded.urged'),
    open: eb.ref('excluded.open'),
    case_progress_at: eb.ref('excluded.case_progress_at'),
  }));
}

const date = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

function caseRow(s: CaseState) {
  return {
    case_no: s.caseNo,
    matter_code: s.matter.code,
    status: s.status,
    priority: s.priority,
    lead_dept: s.matter.leadDept,
    applicant_name: s.applicant.name,
    query_code_hash: null,
    submitted_at: new Date(s.submittedAt),
    accepted_at: date(s.acceptedAt),
    deadline: date(s.deadline),
    statutory_deadline: date(s.statutoryDeadline),
    alert: s.alert,
    last_seq: s.seq,
    last_progress_at: new Date(s.lastProgressAt),
    decided_at: date(s.decidedAt),
    completed_at: date(s.completedAt),
    // Old cases' unsalted query-code hash stays out of the projection (issue 15).
    state: JSON.stringify({ ...s, queryCodeHash: undefined }),
  };
}

/** Task rows of every round; only a current pending one of a case under review is open. */
function taskRows(s: CaseState, time: TimeModel) {
  const open = UNDER_REVIEW.includes(s.status);
  const current = new Set(s.departments);
  return [...(s.pastTasks ?? []), ...s.departments].map((t) => {
    const figures = taskFigures(t, time);
    return {
      case_no: s.caseNo,
      dept: t.dept,
      round: t.round,
      role: t.role,
      matter_code: s.matter.code,
      status: t.status,
      verdict: t.opinion?.verdict ?? null,
      assigned_at: new Date(t.assignedAt),
      due_at: new Date(t.dueAt),
      alert: t.alert,
      given_at: date(t.givenAt),
      late_working_days: figures.late,
      working_days_to_opinion: figures.toOpinion,
      deemed: t.status === 'deemed',
      urged: t.urged,
      open: open && current.has(t) && t.status === 'pending',
      case_progress_at: new Date(s.lastProgressAt),
    };
  });
}

/** The case_tasks columns a task's share of the department figures depends on. */
const FIGURE_COLUMNS = [
  'dept',
  'status',
  'assigned_at',
  'late_working_days',
  'working_days_to_opinion',
  'deemed',
  'urged',
] as const;
/** What the live projection needs of a case's stored task rows: their key and their share of the figures. */
const STORED_TASK_COLUMNS = ['round', ...FIGURE_COLUMNS] as const;
type StoredTask = Omit<FigureRow, 'assigned_at'> & { round: number; assigned_at: string };

interface FigureRow {
  dept: string;
  status: string;
  assigned_at: Date;
  late_working_days: number;
  working_days_to_opinion: number | null;
  deemed: boolean;
  urged: number;
}

/**
 * Changes to the projection dept_task_figures / dept_opinion_days (migration
 * 2026-11-23T1400_department_figures): each task row counts, for its department and the day it was
 * assigned, exactly as the per-task aggregation of `departmentFigures` counts it.
 */
class DepartmentFigures {
  private readonly figures = new Map<
    string,
    { day: number; dept: string; n: [number, number, number, number, number, number, number] }
  >();
  private readonly days = new Map<string, { day: number; dept: string; workingDays: number; tasks: number }>();

  add(t: FigureRow, sign: 1 | -1): void {
    const day = shanghaiDayOf(t.assigned_at.getTime());
    const key = `${day}\u0000${t.dept}`;
    let f = this.figures.get(key);
    if (!f) this.figures.set(key, (f = { day, dept: t.dept, n: [0, 0, 0, 0, 0, 0, 0] }));
    const given = t.status === 'given';
    // received, given, on time, late, late working days, deemed, urged
    f.n[0] += sign;
    if (given) f.n[1] += sign;
    if (given && t.late_working_days === 0) f.n[2] += sign;
    if ((given && t.late_working_days > 0) || t.deemed) f.n[3] += sign;
    f.n[4] += sign * t.late_working_days;
    if (t.deemed) f.n[5] += sign;
    f.n[6] += sign * t.urged;
    if (given && t.working_days_to_opinion !== null) {
      const dkey = `${key}\u0000${t.working_days_to_opinion}`;
      let d = this.days.get(dkey);
      if (!d) this.days.set(dkey, (d = { day, dept: t.dept, workingDays: t.working_days_to_opinion, tasks: 0 }));
      d.tasks += sign;
    }
  }

  /** The non-zero changes, sorted by key (concurrent projections then lock rows in the same order). */
  changes(): { figures: FigureChange[]; days: OpinionDayChange[] } {
    const byKey = <T extends { day: number; dept: string }>(a: T, b: T, extra = 0) =>
      a.day - b.day || (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : extra);
    const figures = [...this.figures.values()].filter((f) => f.n.some((x) => x !== 0)).sort((a, b) => byKey(a, b));
    const days = [...this.days.values()]
      .filter((d) => d.tasks !== 0)
      .sort((a, b) => byKey(a, b, a.workingDays - b.workingDays));
    this.figures.clear();
    this.days.clear();
    return { figures, days };
  }

  /** Adds the changes, in one statement per table and 5,000 rows. Unchanged rows are not written. */
  async write(trx: DbOrTrx): Promise<void> {
    const { figures, days } = this.changes();
    for (let i = 0; i < figures.length; i += 5000) await figuresUpsert(trx, figures.slice(i, i + 5000)).execute();
    for (let i = 0; i < days.length; i += 5000) await opinionDaysUpsert(trx, days.slice(i, i + 5000)).execute();
  }
}

type FigureChange = { day: number; dept: string; n: number[] };
type OpinionDayChange = { day: number; dept: string; workingDays: number; tasks: number };

/** One array parameter per column (unnest), not one parameter per value: 5,000 rows stay one statement. */
function figuresUpsert(trx: QueryCreator<Database>, chunk: FigureChange[]) {
  const col = (k: number) => chunk.map((f) => f.n[k]!);
  return trx
    .insertInto('dept_task_figures')
    .columns(['day', 'dept', 'received', 'given', 'on_time', 'late', 'late_working_days', 'deemed', 'urged'])
    .expression(
      sql`select * from unnest(${chunk.map((f) => f.day)}::int[], ${chunk.map((f) => f.dept)}::text[], ${col(0)}::int[],
        ${col(1)}::int[], ${col(2)}::int[], ${col(3)}::int[], ${col(4)}::int[], ${col(5)}::int[], ${col(6)}::int[])`,
    )
    .onConflict((oc) =>
      oc.columns(['day', 'dept']).doUpdateSet((eb) => ({
        received: eb('dept_task_figures.received', '+', eb.ref('excluded.received')),
        given: eb('dept_task_figures.given', '+', eb.ref('excluded.given')),
        on_time: eb('dept_task_figures.on_time', '+', eb.ref('excluded.on_time')),
        late: eb('dept_task_figures.late', '+', eb.ref('excluded.late')),
        late_working_days: eb('dept_task_figures.late_working_days', '+', eb.ref('excluded.late_working_days')),
        deemed: eb('dept_task_figures.deemed', '+', eb.ref('excluded.deemed')),
        urged: eb('dept_task_figures.urged', '+', eb.ref('excluded.urged')),
      })),
    );
}

function opinionDaysUpsert(trx: QueryCreator<Database>, chunk: OpinionDayChange[]) {
  return trx
    .insertInto('dept_opinion_days')
    .columns(['day', 'dept', 'working_days', 'tasks'])
    .expression(
      sql`select * from unnest(${chunk.map((d) => d.day)}::int[], ${chunk.map((d) => d.dept)}::text[],
        ${chunk.map((d) => d.workingDays)}::int[], ${chunk.map((d) => d.tasks)}::int[])`,
    )
    .onConflict((oc) =>
      oc.columns(['day', 'dept', 'working_days']).doUpdateSet((eb) => ({
        tasks: eb('dept_opinion_days.tasks', '+', eb.ref('excluded.tasks')),
      })),
    );
}

function feeRows(s: CaseState) {
  return s.fees.items.map((f) => ({
    case_no: s.caseNo,
    dept: f.dept,
    item: f.item,
    amount_cents: f.amountCents,
    paid_at: date(s.fees.paidAt),
  }));
}

/**
 * Recomputes every projection from the event store alone, in one transaction (readers see the old
 * tables until it commits). Cases are folded in batches and written with multi-row inserts.
 * The batches are pipelined on the transaction's one connection: the next batch's events are
 * being read, and the previous batch's rows written, while this process folds the current one, so
 * that the database and the fold work at the same time.
 */
export async function rebuildProjections(
  db: Db,
  opts: { batchCases?: number; onProgress?: (cases: number, events: number) => void } = {},
): Promise<{ cases: number; events: number }> {
  const batchCases = opts.batchCases ?? 500;
  return db.transaction().execute(async (trx) => {
    await sql`truncate table cases, case_tasks, case_fees, dept_task_figures, dept_opinion_days`.execute(trx);
    const figures = new DepartmentFigures();
    let cases = 0;
    let events = 0;
    let next = pending(readBatch(trx, '', batchCases));
    let writing = pending(Promise.resolve());
    for (;;) {
      const rows = await next;
      if (!rows.length) break;
      next = pending(readBatch(trx, rows[rows.length - 1]!.case_no, batchCases));
      const states: CaseState[] = [];
      let current: CaseEvent[] = [];
      for (const row of rows) {
        const event = fromEventRow({
          ...row,
          occurred_at: new Date(row.at_ms),
          received_at: row.received_ms === null ? null : new Date(row.received_ms),
          effective_at: row.effective_ms === null ? null : new Date(row.effective_ms),
        });
        if (current.length && current[0]!.caseNo !== event.caseNo) {
          states.push(fold(current));
          current = [];
        }
        current.push(event);
      }
      if (current.length) states.push(fold(current));
      await writing; // one batch of writes in flight at most
      writing = pending(writeStates(trx, states, figures));
      cases += states.length;
      events += rows.length;
      opts.onProgress?.(cases, events);
    }
    await writing;
    await figures.write(trx);
    return { cases, events };
  });
}

/** A promise awaited later: marked handled now, so that failing before then is not an unhandled rejection. */
function pending<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * The events of the next `batchCases` cases after `after`, in one statement. The instant comes as
 * whole epoch milliseconds (what the pg driver makes of a timestamptz, without parsing its text).
 */
function readBatch(trx: DbOrTrx, after: string, batchCases: number) {
  return trx
    .selectFrom('case_events')
    .select([
      'case_no',
      'seq',
      'type',
      'data',
      'actor_sub',
      'actor_role',
      'actor_dept',
      sql<number>`floor(extract(epoch from occurred_at)::numeric * 1000)::float8`.as('at_ms'),
      sql<number | null>`floor(extract(epoch from received_at)::numeric * 1000)::float8`.as('received_ms'),
      sql<number | null>`floor(extract(epoch from effective_at)::numeric * 1000)::float8`.as('effective_ms'),
    ])
    .where('case_no', '>', after)
    .where('case_no', '<=', (eb) =>
      eb
        .selectFrom((eb2) =>
          eb2
            .selectFrom('case_events')
            .select('case_no')
            .where('case_no', '>', after)
            .groupBy('case_no')
            .orderBy('case_no')
            .limit(batchCases)
            .as('b'),
        )
        .select((eb3) => eb3.fn.max('b.case_no').as('last')),
    )
    .orderBy('case_no')
    .orderBy('seq')
    .execute();
}

async function writeStates(trx: DbOrTrx, states: CaseState[], figures: DepartmentFigures): Promise<void> {
  if (!states.length) return;
  await trx.insertInto('cases').values(states.map(caseRow)).execute();
  const tasks: ReturnType<typeof taskRows> = [];
  for (const s of states) tasks.push(...taskRows(s, await resolveTimeModel(trx, s.time)));
  for (const t of tasks) figures.add(t, 1);
  for (let i = 0; i < tasks.length; i += 2000)
    await trx
      .insertInto('case_tasks')
      .values(tasks.slice(i, i + 2000))
      .execute();
  const fees = states.flatMap(feeRows);
  if (fees.length) await trx.insertInto('case_fees').values(fees).execute();
}
