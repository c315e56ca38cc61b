import { sql } from 'kysely';
import { dayOf, deadlineDay, workingDaysBetween, type TimeModel } from '../../domain/calendar';
import type { CaseEvent } from '../../domain/events';
import { fold } from '../../domain/evolve';
import { noticesFor } from '../../domain/notifications';
import type { CaseState, DeptTask } from '../../domain/types';
import type { Db, DbOrTrx } from '../index';
import { fromEventRow, insertEvents } from './case-events';
import { resolveTimeModel } from './calendars';

export interface WebhookDelivery {
  key: string;
  url: string;
  payload: Record<string, unknown>;
}

/**
 * Appends a case's new events and brings every projection up to date in one transaction.
 * Idempotent: events at or below the projected sequence are ignored, so a retried activity is a no-op.
 * Returns the webhook deliveries the new events call for.
 */
export async function appendAndProject(db: Db, caseNo: string, events: readonly CaseEvent[]): Promise<WebhookDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases').select(['last_seq', 'state']).where('case_no', '=', caseNo).forUpdate().executeTakeFirst();
    const lastSeq = row?.last_seq ?? 0;
    const fresh = events.filter((e) => e.seq > lastSeq);
    if (!fresh.length) return [];
    if (fresh[0]!.seq !== lastSeq + 1) throw new Error(`event gap for ${caseNo}: have ${lastSeq}, got ${fresh[0]!.seq}`);
    await insertEvents(trx, fresh);
    const state = fold(fresh, row?.state as CaseState | undefined);
    const time = await resolveTimeModel(trx, state.time);
    await writeProjections(trx, state, time, fresh);
    return webhooksFor(trx, state, fresh);
  });
}

async function writeProjections(trx: DbOrTrx, state: CaseState, time: TimeModel, fresh: readonly CaseEvent[]): Promise<void> {
  await upsertCase(trx, state);
  await upsertTasks(trx, state, time);
  if (fresh.some((e) => e.type === 'payment_notice_issued' || e.type === 'payment_confirmed')) await replaceFees(trx, state);
  const notices = fresh.flatMap((e) => noticesFor(e, state));
  if (notices.length) {
    await trx
      .insertInto('notifications')
      .values(notices.map((n) => ({ key: n.key, dept: n.dept, case_no: n.caseNo, kind: n.kind, payload: JSON.stringify(n.payload), created_at: new Date(n.at), delivered_at: null })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
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
    query_code_hash: s.queryCodeHash,
    submitted_at: new Date(s.submittedAt),
    accepted_at: date(s.acceptedAt),
    deadline: date(s.deadline),
    statutory_deadline: date(s.statutoryDeadline),
    alert: s.alert,
    last_seq: s.seq,
    last_progress_at: new Date(s.lastProgressAt),
    decided_at: date(s.decidedAt),
    completed_at: date(s.completedAt),
    state: JSON.stringify(s),
  };
}

async function upsertCase(trx: DbOrTrx, s: CaseState): Promise<void> {
  const row = caseRow(s);
  const { case_no: _key, ...update } = row;
  await trx.insertInto('cases').values(row).onConflict((oc) => oc.column('case_no').doUpdateSet(update)).execute();
}

/** A task's figures for the assessment: working days to its opinion and how late it came. */
export function taskFigures(t: DeptTask, time: TimeModel): { late: number; toOpinion: number | null } {
  if (t.givenAt === undefined) return { late: 0, toOpinion: null };
  const givenDay = dayOf(time, t.givenAt);
  return {
    late: t.givenAt > t.dueAt ? workingDaysBetween(time, deadlineDay(time, t.dueAt), givenDay) : 0,
    toOpinion: workingDaysBetween(time, dayOf(time, t.assignedAt), givenDay),
  };
}

/** Task rows of every round; only a current pending one of a case under review is open. */
function taskRows(s: CaseState, time: TimeModel) {
  const open = s.status === 'in_review' || s.status === 'suspended';
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
    };
  });
}

async function upsertTasks(trx: DbOrTrx, s: CaseState, time: TimeModel): Promise<void> {
  if (!s.departments.length) return;
  const rows = taskRows(s, time);
  await trx
    .insertInto('case_tasks')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['case_no', 'dept', 'round']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'), verdict: eb.ref('excluded.verdict'), due_at: eb.ref('excluded.due_at'),
        alert: eb.ref('excluded.alert'), given_at: eb.ref('excluded.given_at'), late_working_days: eb.ref('excluded.late_working_days'),
        working_days_to_opinion: eb.ref('excluded.working_days_to_opinion'), deemed: eb.ref('excluded.deemed'),
        urged: eb.ref('excluded.urged'), open: eb.ref('excluded.open'),
      })),
    )
    .execute();
}

function feeRows(s: CaseState) {
  return s.fees.items.map((f) => ({ case_no: s.caseNo, dept: f.dept, item: f.item, amount_cents: f.amountCents, paid_at: date(s.fees.paidAt) }));
}

async function replaceFees(trx: DbOrTrx, s: CaseState): Promise<void> {
  await trx.deleteFrom('case_fees').where('case_no', '=', s.caseNo).execute();
  if (s.fees.items.length) await trx.insertInto('case_fees').values(feeRows(s)).execute();
}

async function webhooksFor(trx: DbOrTrx, state: CaseState, fresh: readonly CaseEvent[]): Promise<WebhookDelivery[]> {
  const notices = fresh.flatMap((e) => noticesFor(e, state));
  if (!notices.length) return [];
  const depts = await trx.selectFrom('departments').select(['code', 'webhook_url']).where('code', 'in', [...new Set(notices.map((n) => n.dept))]).where('webhook_url', 'is not', null).execute();
  const urls = new Map(depts.map((d) => [d.code, d.webhook_url!]));
  return notices.filter((n) => urls.has(n.dept)).map((n) => ({ key: n.key, url: urls.get(n.dept)!, payload: { key: n.key, kind: n.kind, dept: n.dept, at: new Date(n.at).toISOString(), ...n.payload } }));
}

/**
 * Recomputes every projection from the event store alone, in one transaction (readers see the old
 * tables until it commits). Cases are folded in batches and written with multi-row inserts.
 */
export async function rebuildProjections(db: Db, opts: { batchCases?: number; onProgress?: (cases: number, events: number) => void } = {}): Promise<{ cases: number; events: number }> {
  const batchCases = opts.batchCases ?? 500;
  return db.transaction().execute(async (trx) => {
    await sql`truncate table case_fees, case_tasks, cases`.execute(trx);
    let after = '';
    let cases = 0;
    let events = 0;
    for (;;) {
      const batch = await trx.selectFrom('case_events').select('case_no').where('case_no', '>', after).groupBy('case_no').orderBy('case_no').limit(batchCases).execute();
      if (!batch.length) break;
      const last = batch[batch.length - 1]!.case_no;
      const rows = await trx.selectFrom('case_events').selectAll().where('case_no', '>', after).where('case_no', '<=', last).orderBy('case_no').orderBy('seq').execute();
      const states: CaseState[] = [];
      let current: CaseEvent[] = [];
      for (const row of rows) {
        const event = fromEventRow(row);
        if (current.length && current[0]!.caseNo !== event.caseNo) {
          states.push(fold(current));
          current = [];
        }
        current.push(event);
      }
      if (current.length) states.push(fold(current));
      await writeStates(trx, states);
      cases += states.length;
      events += rows.length;
      after = last;
      opts.onProgress?.(cases, events);
    }
    return { cases, events };
  });
}

async function writeStates(trx: DbOrTrx, states: CaseState[]): Promise<void> {
  if (!states.length) return;
  await trx.insertInto('cases').values(states.map(caseRow)).execute();
  const tasks: ReturnType<typeof taskRows> = [];
  for (const s of states) tasks.push(...taskRows(s, await resolveTimeModel(trx, s.time)));
  for (let i = 0; i < tasks.length; i += 2000) await trx.insertInto('case_tasks').values(tasks.slice(i, i + 2000)).execute();
  const fees = states.flatMap(feeRows);
  if (fees.length) await trx.insertInto('case_fees').values(fees).execute();
}
