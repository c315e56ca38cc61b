import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { pingDb, type Db } from '../db'; // (also sets the BIGINT parser the application uses)
import { migrateToLatest } from '../db/migrator';
import { currentCalendar } from '../db/repositories/calendars';
import { toEventRow } from '../db/repositories/case-events';
import { appendAndProject, rebuildProjections } from '../db/repositories/case-projection';
import { listCaseStates } from '../db/repositories/cases';
import { putDepartment, putMatter } from '../db/repositories/catalog';
import { withMatterDefaults } from '../domain/matter';
import { REVIEW_OR_DECIDING } from '../domain/status';
import { departmentTasks } from '../db/repositories/tasks';
import {
  departmentFigures,
  departmentFiguresFromTasks,
  supervisedCaseSummaries,
  supervisedCases,
  type SupervisionFilter,
} from '../db/repositories/supervision';
import type { Database } from '../db/schema';
import { addWorkingDays, dayOf, parseDateOrInstant, startOfDay, type DayNo, type TimeModel } from '../domain/calendar';
import type { CaseCommand } from '../domain/commands';
import { decide } from '../domain/decide';
import { envelope } from '../domain/draft';
import { DomainError } from '../domain/errors';
import type { CaseEvent } from '../domain/events';
import { fold } from '../domain/evolve';
import { nextTimer } from '../domain/timers';
import { SYSTEM_ACTOR, type Actor, type CaseState, type MatterSnapshot, type Opinion } from '../domain/types';
import { startEmbeddedPostgres } from './infra/postgres';
import { freePort } from './infra/free-port';

/**
 * `npm run benchmark`: the read side at scale (see docs/benchmarks.md).
 *
 * 1. A throw-away embedded PostgreSQL (or BENCH_DATABASE_URL), migrated.
 * 2. BENCH_CASES cases (default 100,000) simulated with the real domain code: every event comes
 *    from `decide` (user commands, and `tick` at each armed timer, as the workflow does), is
 *    wrapped by `envelope` and folded with `fold`. Written to case_events in multi-row batches,
 *    in the order the events happened.
 * 3. The projections are built by `rebuildProjections`, timed: that is the rebuild figure. The
 *    daily department figures are checked against the tasks.
 * 4. Each query the supervision, case list and inbox routes run: warm-up, then BENCH_RUNS (200)
 *    timed runs, p50/p95/max; then EXPLAIN (ANALYZE, BUFFERS) of every SQL statement it sends.
 * 5. The live path: a sample of open cases moves on through appendAndProject; figures checked again.
 *
 * Environment: BENCH_CASES, BENCH_RUNS, BENCH_SEED, BENCH_DATABASE_URL (an empty database, or
 * BENCH_RESET=1 to truncate its event store and projections first; BENCH_REUSE=1 keeps the events
 * already there and only rebuilds and measures; with BENCH_REBUILD=0 too, only measures), BENCH_EXPLAIN=0
 * to skip the plans.
 */

const CASES = intEnv('BENCH_CASES', 100_000);
const RUNS = intEnv('BENCH_RUNS', 200);
const WARMUP = Math.max(5, Math.round(RUNS / 10));
const SEED = intEnv('BENCH_SEED', 20261123);
const EXPLAIN = process.env.BENCH_EXPLAIN !== '0';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

// ------------------------------------------------------------------------------------ randomness

/** mulberry32: small, fast and seeded, so two runs seed the same mix (dated back from the day they run). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = rng(SEED);
const rint = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const chance = (p: number) => random() < p;
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}
function weighted<T>(items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1]![0];
}

// ------------------------------------------------------------------------------------ catalog

const DEPARTMENTS: [string, string][] = [
  ['PLAN', '规划和自然资源局'],
  ['FIRE', '消防救援支队'],
  ['HOUSING', '住房和城乡建设局'],
  ['ENV', '生态环境局'],
  ['MARKET', '市场监督管理局'],
  ['HEALTH', '卫生健康委员会'],
  ['TRANSPORT', '交通运输局'],
  ['WATER', '水务局'],
  ['CIVILDEF', '人民防空办公室'],
  ['DEVREF', '发展和改革委员会'],
  ['EMERG', '应急管理局'],
  ['CULTURE', '文化广电旅游局'],
  ['EDU', '教育局'],
  ['AGRI', '农业农村局'],
  ['FOREST', '林业局'],
  ['POLICE', '公安局'],
  ['TRAFFIC', '交通警察支队'],
  ['URBAN', '城市管理局'],
  ['COMMERCE', '商务局'],
  ['TAX', '税务局'],
  ['HRSS', '人力资源和社会保障局'],
  ['CIVIL', '民政局'],
  ['JUSTICE', '司法局'],
  ['FINANCE', '财政局'],
  ['STATS', '统计局'],
  ['SPORT', '体育局'],
  ['ETHNIC', '民族宗教事务局'],
  ['HERITAGE', '文物局'],
  ['METEO', '气象局'],
  ['SEISMIC', '地震局'],
  ['POWER', '供电公司'],
  ['GAS', '燃气管理处'],
  ['TELECOM', '通信管理办公室'],
  ['RAIL', '铁路办'],
  ['PORT', '港口管理局'],
  ['OCEAN', '海洋局'],
  ['TOBACCO', '烟草专卖局'],
  ['POST', '邮政管理局'],
  ['VETERAN', '退役军人事务局'],
  ['MEDPROD', '药品监督管理局'],
];
const DEPT_CODES = DEPARTMENTS.map(([code]) => code);
/** Some departments review far more matters than others (规划, 消防, 住建 …): roughly Zipf. */
const DEPT_WEIGHTS = DEPT_CODES.map((code, i) => [code, 1 / (i + 1) ** 0.8] as const);
const MATERIALS = [
  'app',
  'licence',
  'idcard',
  'landdeed',
  'drawings',
  'eia',
  'fireplan',
  'survey',
  'contract',
  'safety',
  'finance',
  'design',
];
const MATTER_COUNT = 60;

function makeMatters(): MatterSnapshot[] {
  const matters: MatterSnapshot[] = [];
  for (let i = 0; i < MATTER_COUNT; i++) {
    const size = weighted([
      [3, 60],
      [4, 25],
      [5, 10],
      [6, 5],
    ] as const);
    const depts = new Set<string>();
    while (depts.size < size) depts.add(weighted(DEPT_WEIGHTS));
    const [leadDept, ...coDepts] = [...depts] as [string, ...string[]];
    const materials = [...new Set(Array.from({ length: rint(3, 6) }, () => pick(MATERIALS)))];
    const fees = [...depts]
      .filter(() => chance(0.45))
      .map((dept) => ({ dept, item: `${dept}审查费`, maxAmountCents: rint(1, 50) * 10_000 }));
    matters.push(
      withMatterDefaults(`M${String(i + 1).padStart(3, '0')}`, {
        name: `并联审批事项 ${i + 1}`,
        leadDept,
        coDepts,
        requiredMaterials: materials.map((code) => ({ code, name: `材料 ${code}` })),
        timeLimitDays: pick([10, 12, 15, 20]),
        deptReviewDays: pick([5, 7, 7]),
        warnDays: pick([2, 3]),
        silencePolicy: i % 2 === 0 ? 'deemed_approve' : 'escalate_only',
        fees,
      }),
    );
  }
  return matters;
}

// ------------------------------------------------------------------------------------ simulation

const HOUR = 3_600_000;
const WINDOW: Actor = { sub: 'win-01', role: 'window', dept: 'WIN', name: '综合窗口' };
const SUPERVISOR: Actor = { sub: 'sup-01', role: 'supervisor', name: '效能监察' };
const staffOf = (dept: string): Actor => ({ sub: `${dept.toLowerCase()}-${rint(1, 4)}`, role: 'department', dept });

/**
 * One case driven through the real rules. Before every command the timers the case has armed are
 * fired in order (`tick` at each one's instant), exactly as the case workflow sleeps and ticks.
 * A command the rules refuse (a late opinion after deemed consent, …) is dropped, as the API would.
 */
class CaseSim {
  state: CaseState | undefined;
  readonly events: CaseEvent[] = [];
  constructor(
    readonly caseNo: string,
    readonly time: TimeModel,
    readonly horizon: number,
  ) {}

  private apply(command: CaseCommand, actor: Actor, now: number): void {
    const ctx = { now, time: this.time, actor };
    const bodies = decide(command, this.state, ctx);
    if (!bodies.length) return;
    const events = envelope(this.state, this.caseNo, bodies, ctx);
    this.state = fold(events, this.state);
    this.events.push(...events);
  }

  /** Fires every timer due up to `until` (never past the horizon: "now"). */
  advance(until: number): void {
    const limit = Math.min(until, this.horizon);
    for (let guard = 0; guard < 1000 && this.state; guard++) {
      const timer = nextTimer(this.state, this.time);
      if (!timer || timer.at > limit) return;
      this.apply({ type: 'tick' }, SYSTEM_ACTOR, timer.at);
    }
  }

  /** Runs a command at `at`; false when refused or when `at` is still in the future. */
  do(command: CaseCommand, actor: Actor, at: number): boolean {
    if (at > this.horizon) return false;
    this.advance(at);
    try {
      this.apply(command, actor, at);
      return true;
    } catch (err) {
      if (err instanceof DomainError) return false;
      throw err;
    }
  }

  get s(): CaseState {
    return this.state!;
  }
}

type Scenario =
  | 'completed_fees'
  | 'completed'
  | 'completed_supplement'
  | 'completed_meeting'
  | 'completed_special'
  | 'completed_late'
  | 'rejected'
  | 'overturned'
  | 'withdrawn'
  | 'refused'
  | 'terminated'
  | 'awaiting_materials'
  | 'review_on_track'
  | 'review_at_risk'
  | 'review_overdue'
  | 'suspended_supplement'
  | 'suspended_special'
  | 'deciding'
  | 'negative_review'
  | 'awaiting_payment';

/** Flows that run to their end (those submitted in the last weeks are still under way now). */
const FLOWS: (readonly [Scenario, number])[] = [
  ['completed_fees', 30],
  ['completed', 28],
  ['completed_supplement', 9],
  ['completed_meeting', 4],
  ['completed_special', 3],
  ['completed_late', 5],
  ['rejected', 7],
  ['overturned', 1],
  ['withdrawn', 6],
  ['refused', 3],
  ['terminated', 1.5],
];

/** States a recent case is caught in now; each admits the submission days (working days ago) that lead to it. */
const OPEN_STATES: { scenario: Scenario; weight: number; admits: (back: number, m: MatterSnapshot) => boolean }[] = [
  { scenario: 'awaiting_materials', weight: 2, admits: (b) => b <= 5 },
  { scenario: 'review_on_track', weight: 10, admits: (b, m) => b <= m.deptReviewDays - 2 },
  { scenario: 'review_at_risk', weight: 12, admits: (b, m) => b === m.deptReviewDays - 1 },
  {
    scenario: 'review_overdue',
    weight: 10,
    admits: (b, m) => m.silencePolicy === 'escalate_only' && b > m.deptReviewDays && b <= m.deptReviewDays + 3,
  },
  { scenario: 'suspended_supplement', weight: 3, admits: (b) => b >= 3 && b <= 20 },
  { scenario: 'suspended_special', weight: 1, admits: (b) => b >= 2 && b <= 20 },
  { scenario: 'deciding', weight: 4, admits: (b, m) => b >= 2 && b <= m.timeLimitDays + 2 },
  { scenario: 'negative_review', weight: 1, admits: (b) => b >= 2 && b <= 12 },
  { scenario: 'awaiting_payment', weight: 2, admits: (b) => b >= 3 && b <= 15 },
];
const CLOSED = new Set<Scenario>(FLOWS.map(([s]) => s));
/** Arrivals are uniform over HISTORY working days; of those of the last RECENT days, OPEN_SHARE are caught in an open state. */
const HISTORY = 125;
const RECENT = 25;
const OPEN_SHARE = 0.75;

interface Plan {
  scenario: Scenario;
  matter: MatterSnapshot;
  day: DayNo;
}

class Simulator {
  readonly today: DayNo;
  private readonly escalateOnly: MatterSnapshot[];
  constructor(
    readonly time: TimeModel,
    readonly now: number,
    readonly matters: MatterSnapshot[],
  ) {
    this.today = dayOf(time, now);
    this.escalateOnly = matters.filter((m) => m.silencePolicy === 'escalate_only');
  }

  wd(day: DayNo, n: number): DayNo {
    return addWorkingDays(this.time, day, n);
  }

  /** An instant in office hours (09:00–17:30) of a day. */
  at(day: DayNo, after = 0): number {
    const t = startOfDay(this.time, day) + 9 * HOUR + Math.floor(random() * 8.5 * HOUR);
    return Math.max(t, after + rint(10, 90) * 60_000);
  }

  plan(): Plan {
    const back = rint(0, HISTORY);
    const day = this.wd(this.today, -back);
    const matter = pick(this.matters);
    if (back <= RECENT && chance(OPEN_SHARE)) {
      const fits = OPEN_STATES.filter((s) => s.admits(back, matter));
      if (fits.length) return { scenario: weighted(fits.map((s) => [s.scenario, s.weight] as const)), matter, day };
    }
    const scenario = weighted(FLOWS);
    return { scenario, matter: scenario === 'completed_late' ? pick(this.escalateOnly) : matter, day };
  }

  opinion(sim: CaseSim, dept: string, fees: boolean): Opinion {
    const items = fees
      ? sim.s.matter.fees
          .filter((f) => f.dept === dept)
          .map((f) => ({
            item: f.item,
            amountCents: rint(Math.ceil(f.maxAmountCents / 200), f.maxAmountCents / 100) * 100,
          }))
      : [];
    const feesPart = items.length ? { fees: items } : {};
    if (chance(0.2))
      return {
        verdict: 'approve_with_conditions',
        comment: '同意，附条件',
        conditions: [pick(['按审定图纸施工', '竣工前完成消防验收', '落实环评批复要求', '限期整改到位'])],
        ...feesPart,
      };
    return { verdict: 'approve', comment: pick(['同意', '符合要求，同意', '经审查，同意']), ...feesPart };
  }

  /** Every pending department of the round answers on its own day; `late` makes some miss their limit. */
  review(
    sim: CaseSim,
    from: number,
    opts: { fees?: boolean; late?: number; skip?: number; verdictFor?: (dept: string) => Opinion | undefined } = {},
  ): number {
    const fromDay = dayOf(this.time, from);
    const actions = sim.s.departments
      .filter((t) => t.status === 'pending')
      .filter(() => !chance(opts.skip ?? 0))
      .map((t) => {
        const limit = sim.s.matter.deptReviewDays;
        // Most answer well within the limit, some on the warning day, a few late.
        const days = chance(opts.late ?? 0.05) ? limit + rint(1, 2) : chance(0.1) ? limit - 1 : rint(1, limit - 2);
        return { dept: t.dept, at: this.at(this.wd(fromDay, days), from) };
      })
      .sort((a, b) => a.at - b.at);
    let last = from;
    for (const a of actions) {
      const opinion = opts.verdictFor?.(a.dept) ?? this.opinion(sim, a.dept, opts.fees ?? false);
      if (sim.do({ type: 'give_opinion', opinion }, staffOf(a.dept), a.at)) last = a.at;
    }
    return last;
  }

  later(from: number, minDays: number, maxDays: number): number {
    return this.at(this.wd(dayOf(this.time, from), rint(minDays, maxDays)), from);
  }

  decide(sim: CaseSim, from: number, decision: 'approve' | 'reject' = 'approve'): number {
    const at = this.later(from, 1, 3);
    const lead = staffOf(sim.s.matter.leadDept);
    const rejecting = sim.s.departments.some((t) => t.opinion?.verdict === 'reject');
    const command: CaseCommand =
      decision === 'reject'
        ? {
            type: 'decide',
            decision: 'reject',
            reason: '不符合准予许可条件',
            legalBasis: '《中华人民共和国行政许可法》第三十八条',
          }
        : { type: 'decide', decision: 'approve', ...(rejecting ? { overruleReason: '经会审，问题已整改' } : {}) };
    sim.do(command, lead, at);
    return at;
  }

  pay(sim: CaseSim, from: number): void {
    if (sim.s.status !== 'awaiting_payment') return;
    const at = from + rint(1, 7) * 86_400_000 + rint(0, 8) * HOUR;
    sim.do(
      { type: 'confirm_payment', paymentRef: `PAY-${sim.caseNo}`, amountCents: sim.s.fees.totalCents },
      WINDOW,
      at,
    );
  }

  /** Submission (with a missing material now and then) up to acceptance; answers the acceptance instant. */
  submit(sim: CaseSim, p: Plan, opts: { missing?: boolean } = {}): number {
    const m = p.matter;
    const missing = opts.missing ?? (CLOSED.has(p.scenario) && chance(0.1));
    const materials = m.requiredMaterials.map((x) => x.code);
    const handed = missing && materials.length > 1 ? materials.slice(0, -1) : materials;
    let at = this.at(p.day);
    sim.do(
      {
        type: 'submit',
        caseNo: sim.caseNo,
        matter: m,
        priority: chance(0.05) ? 'green_channel' : 'normal',
        applicant: {
          name: pick(['张三', '李四', '王五', '赵六', '某某建设有限公司', '某某科技有限公司']),
          phone: `139${String(rint(0, 99_999_999)).padStart(8, '0')}`,
        },
        materials: handed,
        queryCodeHash: 'b'.repeat(64),
      },
      WINDOW,
      at,
    );
    if (handed.length !== materials.length && p.scenario !== 'awaiting_materials' && p.scenario !== 'refused') {
      at = this.later(at, 1, 3);
      sim.do({ type: 'register_materials', materials: materials.slice(-1) }, WINDOW, at);
    }
    return at;
  }

  simulate(caseNo: string, p: Plan): CaseEvent[] {
    const sim = new CaseSim(caseNo, this.time, this.now);
    const lead = staffOf(p.matter.leadDept);
    switch (p.scenario) {
      case 'completed_fees':
      case 'completed': {
        const accepted = this.submit(sim, p);
        const last = this.review(sim, accepted, { fees: p.scenario === 'completed_fees' });
        this.pay(sim, this.decide(sim, last));
        break;
      }
      case 'completed_meeting': {
        const accepted = this.submit(sim, p);
        const convened = this.later(accepted, 1, 2);
        const invited = sim.s.departments.map((t) => t.dept);
        sim.do(
          {
            type: 'convene_meeting',
            kind: pick(['site_inspection', 'review_meeting'] as const),
            scheduledAt: new Date(convened + 2 * 86_400_000).toISOString(),
            departments: invited,
          },
          lead,
          convened,
        );
        sim.do(
          {
            type: 'record_minutes',
            meetingId: 'M1',
            findings: invited.map((dept) => ({ dept, text: '现场符合要求' })),
          },
          lead,
          this.later(convened, 2, 3),
        );
        const last = this.review(sim, accepted, { fees: chance(0.5) });
        this.pay(sim, this.decide(sim, last));
        break;
      }
      case 'completed_special': {
        const accepted = this.submit(sim, p);
        const started = this.later(accepted, 1, 3);
        sim.do(
          { type: 'start_special_procedure', kind: pick(['听证', '专家评审', '检验检测']), reason: '依法需要' },
          lead,
          started,
        );
        const ended = this.later(started, 3, 12);
        sim.do({ type: 'end_special_procedure', procedureId: 'P1', outcome: '通过' }, lead, ended);
        const last = this.review(sim, ended, { fees: chance(0.5) });
        this.pay(sim, this.decide(sim, last));
        break;
      }
      case 'completed_supplement':
      case 'suspended_supplement': {
        const accepted = this.submit(sim, p);
        if (!sim.s.departments.length) break;
        const asking = pick(sim.s.departments).dept;
        const materials = [
          { code: 'extra1', name: '补充说明' },
          ...(chance(0.3) ? [{ code: 'extra2', name: '补充图纸' }] : []),
        ];
        const fees = chance(0.5);
        const last = this.review(sim, accepted, {
          fees,
          late: 0,
          verdictFor: (d) =>
            d === asking ? { verdict: 'request_supplement', comment: '请补正材料', materials } : undefined,
        });
        if (p.scenario === 'suspended_supplement' || sim.s.status !== 'suspended') break;
        let at = this.later(last, 2, 8);
        if (materials.length > 1) {
          sim.do({ type: 'register_supplement', materials: ['extra1'] }, WINDOW, at);
          at = this.later(at, 1, 3);
        }
        sim.do({ type: 'register_supplement', materials: materials.map((m) => m.code) }, WINDOW, at);
        const again = this.review(sim, at, { fees, late: 0.05 });
        this.pay(sim, this.decide(sim, again));
        break;
      }
      case 'completed_late': {
        // Departments past their limit on an escalate-only matter: warnings, daily escalations, an urge, an extension.
        const accepted = this.submit(sim, p);
        const urgedAt = this.at(this.wd(dayOf(this.time, accepted), p.matter.deptReviewDays + 1), accepted);
        sim.do({ type: 'urge', message: '请尽快出具审查意见' }, SUPERVISOR, urgedAt);
        if (chance(0.5))
          sim.do(
            { type: 'extend', workingDays: rint(3, 10), reason: '情况复杂，延期办理' },
            SUPERVISOR,
            this.later(urgedAt, 0, 1),
          );
        const last = this.review(sim, accepted, { late: 0.6, fees: chance(0.5) });
        this.pay(sim, this.decide(sim, last));
        break;
      }
      case 'rejected':
      case 'overturned':
      case 'negative_review': {
        const accepted = this.submit(sim, p);
        if (!sim.s.departments.length) break;
        const rejecting = pick(sim.s.departments).dept;
        const last = this.review(sim, accepted, {
          verdictFor: (d) => (d === rejecting ? { verdict: 'reject', comment: '不符合规划条件' } : undefined),
        });
        const decided = this.decide(sim, last, 'reject');
        if (p.scenario === 'negative_review') break;
        const reviewed = this.later(decided, 1, chance(0.15) ? 5 : 3);
        if (p.scenario === 'rejected') {
          sim.do({ type: 'review_negative_filing', outcome: 'confirm', note: '理由充分，维持' }, SUPERVISOR, reviewed);
        } else {
          sim.do(
            { type: 'review_negative_filing', outcome: 'overturn', note: '依据不足，请重新决定' },
            SUPERVISOR,
            reviewed,
          );
          sim.do(
            { type: 'decide', decision: 'approve', overruleReason: '经复核，准予许可' },
            lead,
            this.later(reviewed, 1, 2),
          );
        }
        break;
      }
      case 'withdrawn': {
        const accepted = this.submit(sim, p);
        this.review(sim, accepted, { skip: 0.6, late: 0 });
        sim.do({ type: 'withdraw', reason: '申请人主动撤回' }, WINDOW, this.later(accepted, 2, 6));
        break;
      }
      case 'refused':
      case 'awaiting_materials': {
        const submitted = this.submit(sim, p, { missing: true });
        if (p.scenario === 'refused')
          sim.do({ type: 'refuse', reason: '不属于本中心受理范围' }, WINDOW, this.later(submitted, 1, 3));
        break;
      }
      case 'terminated':
      case 'awaiting_payment': {
        const accepted = this.submit(sim, p);
        const last = this.review(sim, accepted, { fees: true, late: 0 });
        this.decide(sim, last);
        break;
      }
      case 'review_on_track':
      case 'review_at_risk':
      case 'review_overdue': {
        const accepted = this.submit(sim, p, { missing: false });
        const skip = p.scenario === 'review_on_track' ? 0.5 : 0.6;
        // Opinions so far (some would come later, after "now", so they are not given).
        this.review(sim, accepted, { skip, late: 0 });
        if (p.scenario === 'review_overdue' && chance(0.4))
          sim.do({ type: 'urge', message: '请尽快出具审查意见' }, SUPERVISOR, this.now - rint(2, 30) * HOUR);
        break;
      }
      case 'suspended_special': {
        const accepted = this.submit(sim, p, { missing: false });
        sim.do(
          { type: 'start_special_procedure', kind: pick(['听证', '专家评审', '检验检测', '鉴定']), reason: '依法需要' },
          lead,
          this.later(accepted, 1, 2),
        );
        break;
      }
      case 'deciding': {
        const accepted = this.submit(sim, p, { missing: false });
        this.review(sim, accepted, { late: 0, fees: chance(0.5) });
        break;
      }
    }
    sim.advance(this.now);
    return sim.events;
  }
}

// ------------------------------------------------------------------------------------ seeding

type EventRow = ReturnType<typeof toEventRow>;

async function insertEventRows(db: Db, rows: EventRow[]): Promise<void> {
  // One statement per batch with one array parameter per column: far cheaper to parse and plan
  // than a VALUES list with a parameter per cell (and no 65,535-parameter limit).
  await sql`
    insert into case_events (case_no, seq, type, data, actor_sub, actor_role, actor_dept, occurred_at)
    select * from unnest(
      ${rows.map((r) => r.case_no)}::text[], ${rows.map((r) => r.seq)}::int[], ${rows.map((r) => r.type)}::text[],
      ${rows.map((r) => r.data)}::jsonb[], ${rows.map((r) => r.actor_sub)}::text[], ${rows.map((r) => r.actor_role)}::text[],
      ${rows.map((r) => r.actor_dept)}::text[], ${rows.map((r) => r.occurred_at.toISOString())}::timestamptz[])`.execute(
    db,
  );
}

/**
 * Simulates the cases in submission order and appends their events in the order they happened,
 * interleaved across cases, as the live system appends them: so the event store's physical layout
 * (one case's events spread over the pages of its weeks) is the one a rebuild really meets.
 */
async function seed(
  db: Db,
  time: TimeModel,
  now: number,
): Promise<{ cases: number; events: number; seconds: number; byScenario: Map<Scenario, number> }> {
  const started = performance.now();
  const matters = makeMatters();
  for (const [code, name] of DEPARTMENTS) await putDepartment(db, code, { name });
  for (const m of matters) await putMatter(db, m);
  const simulator = new Simulator(time, now, matters);
  // Case numbers follow submission order, as the case_no sequence hands them out.
  const plans = Array.from({ length: CASES }, () => simulator.plan()).sort((a, b) => a.day - b.day);
  const byScenario = new Map<Scenario, number>();
  let events = 0;
  /** Events not yet appended, by the day they happened. */
  const byDay = new Map<DayNo, { at: number; row: EventRow }[]>();
  let batch: EventRow[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    await inFlight;
    inFlight = insertEventRows(db, rows); // simulation of the next cases overlaps this insert
  };
  /** Every event of a day before `day` is final: cases simulated later were all submitted on or after it. */
  const release = async (day: DayNo) => {
    for (const d of [...byDay.keys()].filter((k) => k < day).sort((a, b) => a - b)) {
      const events = byDay.get(d)!.sort((a, b) => a.at - b.at);
      byDay.delete(d);
      for (const e of events) batch.push(e.row);
      if (batch.length >= 20_000) await flush();
    }
  };
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    await release(p.day);
    const caseNo = `JA${civilDate(p.day)}${String(i + 1).padStart(6, '0')}`;
    const caseEvents = simulator.simulate(caseNo, p);
    byScenario.set(p.scenario, (byScenario.get(p.scenario) ?? 0) + 1);
    events += caseEvents.length;
    for (const e of caseEvents) {
      const day = dayOf(time, e.at);
      let list = byDay.get(day);
      if (!list) byDay.set(day, (list = []));
      list.push({ at: e.at, row: toEventRow(e) });
    }
    if ((i + 1) % 10_000 === 0) process.stderr.write(`\r  simulated ${i + 1} cases, ${events} events`);
  }
  await release(Number.MAX_SAFE_INTEGER);
  await flush();
  await inFlight;
  process.stderr.write('\n');
  return { cases: plans.length, events, seconds: (performance.now() - started) / 1000, byScenario };
}

function civilDate(day: DayNo): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}

// ------------------------------------------------------------------------------------ measuring

interface Measured {
  name: string;
  rows: number;
  p50: number;
  p95: number;
  max: number;
  statements: CompiledQuery[];
}

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const percentileOf = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

async function measure(name: string, run: () => Promise<unknown[]>, capture: Capture): Promise<Measured> {
  capture.start();
  const result = await run();
  const statements = capture.stop();
  for (let i = 0; i < WARMUP; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const m = {
    name,
    rows: result.length,
    p50: percentileOf(times, 0.5),
    p95: percentileOf(times, 0.95),
    max: times[times.length - 1]!,
    statements,
  };
  console.log(
    `  ${name.padEnd(44)} rows ${String(m.rows).padStart(4)}   p50 ${m.p50.toFixed(2).padStart(7)} ms   p95 ${m.p95.toFixed(2).padStart(7)} ms   max ${m.max.toFixed(2).padStart(7)} ms`,
  );
  return m;
}

/** Records the SQL a repository function sends, so its plans can be shown with the same parameters. */
class Capture {
  private on = false;
  private queries: CompiledQuery[] = [];
  log = (event: { query: CompiledQuery }) => {
    if (this.on) this.queries.push(event.query);
  };
  start(): void {
    this.on = true;
    this.queries = [];
  }
  stop(): CompiledQuery[] {
    this.on = false;
    return this.queries;
  }
}

async function explain(pool: pg.Pool, q: CompiledQuery): Promise<string> {
  const res = await pool.query(`explain (analyze, buffers, costs off, summary on) ${q.sql}`, q.parameters as unknown[]);
  // A page's 200 case numbers make a long line; the plan is the same with them elided.
  return res.rows
    .map((r: Record<string, string>) =>
      r['QUERY PLAN']!.replace(/'\{([^}]{120,})\}'/g, (_, list: string) => `'{…${list.split(',').length} values…}'`),
    )
    .join('\n');
}

// ------------------------------------------------------------------------------------ live path

/**
 * The live write path at scale: a sample of open cases gets its next days (timers, the pending
 * opinions, the lead's decision) from the domain rules, appended through appendAndProject as the
 * workflow does, one transaction per case. Afterwards the daily department figures must still add
 * up to the tasks.
 */
async function liveCheck(db: Db, time: TimeModel, now: number, history: readonly [Date, Date]): Promise<void> {
  const sample = (
    await sql<{ case_no: string; state: CaseState }>`
    select case_no, state from cases where status in (${sql.join(REVIEW_OR_DECIDING.map((s) => sql.lit(s)))}) order by md5(case_no) limit 2000`.execute(
      db,
    )
  ).rows;
  const later = now + 3 * 86_400_000;
  const times: number[] = [];
  let events = 0;
  for (const { case_no: caseNo, state } of sample) {
    const sim = new CaseSim(caseNo, time, later);
    sim.state = state;
    sim.advance(later - 2 * HOUR);
    for (const t of sim.s.departments.filter((x) => x.status === 'pending')) {
      sim.do({ type: 'give_opinion', opinion: { verdict: 'approve', comment: '同意' } }, staffOf(t.dept), later - HOUR);
    }
    sim.do({ type: 'decide', decision: 'approve' }, staffOf(sim.s.matter.leadDept), later - 30 * 60_000);
    if (!sim.events.length) continue;
    const t0 = performance.now();
    await appendAndProject(db, caseNo, sim.events);
    times.push(performance.now() - t0);
    events += sim.events.length;
  }
  times.sort((a, b) => a - b);
  const same =
    JSON.stringify(await departmentFigures(db, ...history)) ===
    JSON.stringify(await departmentFiguresFromTasks(db, ...history));
  console.log(
    `\nlive path: ${events} events appended to ${times.length} open cases with appendAndProject, ` +
      `p50 ${percentileOf(times, 0.5).toFixed(2)} ms, p95 ${percentileOf(times, 0.95).toFixed(2)} ms per case; ` +
      `daily department figures = the tasks' aggregate afterwards: ${same ? 'yes' : 'NO'}`,
  );
  if (!same) throw new Error('department figures differ from the tasks after the live appends');
}

// ------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    let url = process.env.BENCH_DATABASE_URL;
    if (!url) {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'ja-bench-'));
      chmodSync(tmp, 0o755); // the embedded server runs as the unprivileged postgres user
      cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
      const server = await startEmbeddedPostgres({
        dataDir: path.join(tmp, 'pg'),
        port: await freePort(),
        database: 'joint_approval_bench',
        persistent: false,
      });
      cleanups.push(() => server.stop());
      url = server.url;
    }
    const capture = new Capture();
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // A connection the server closes at the end must not crash the run after its figures are out.
    pool.on('error', (err) => console.error('postgres connection closed:', err.message));
    const db: Db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: capture.log });
    cleanups.push(() => db.destroy());
    await pingDb(db);

    await migrateToLatest(db);
    const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
    const settings = (
      await sql<{ name: string; setting: string; unit: string | null }>`
      select name, setting, unit from pg_settings
      where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather', 'random_page_cost', 'jit', 'default_toast_compression', 'max_wal_size', 'synchronous_commit')
      order by name`.execute(db)
    ).rows;
    console.log('machine');
    console.log(
      `  ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average ${loadavg()}`,
    );
    console.log(`  ${version}`);
    console.log(`  ${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ''}`).join(', ')}`);

    const now = Date.now();
    const calendar = await currentCalendar(db);
    const time: TimeModel = { kind: 'calendar', calendar };

    const existing = Number(
      (await sql<{ n: number }>`select count(*)::int as n from case_events`.execute(db)).rows[0]!.n,
    );
    if (existing && process.env.BENCH_REUSE === '1') {
      console.log(`\nreusing the ${existing} events already stored`);
    } else {
      if (existing) {
        if (process.env.BENCH_RESET !== '1')
          throw new Error(
            'the database already holds events: set BENCH_RESET=1 to truncate them, or BENCH_REUSE=1 to keep them',
          );
        await sql`alter table case_events disable trigger case_events_no_update`.execute(db);
        await sql`truncate table case_events, cases, case_tasks, case_fees, notifications`.execute(db);
        await sql`alter table case_events enable trigger case_events_no_update`.execute(db);
      }
      console.log(`\nseeding ${CASES} cases with the domain rules (seed ${SEED})`);
      const seeded = await seed(db, time, now);
      console.log(
        `  ${seeded.cases} cases, ${seeded.events} events (${(seeded.events / seeded.cases).toFixed(1)} per case) in ${seeded.seconds.toFixed(1)} s`,
      );
      console.log(
        `  scenarios: ${[...seeded.byScenario]
          .sort((a, b) => b[1] - a[1])
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')}`,
      );
      // The event store as production has it: vacuumed and analysed by autovacuum.
      await sql`vacuum (analyze) case_events`.execute(db);
    }

    let rate = 0;
    if (process.env.BENCH_REBUILD === '0') {
      console.log('\nrebuild skipped (BENCH_REBUILD=0): measuring the projections already there');
    } else {
      console.log('\nrebuilding the projections (rebuildProjections: one transaction, batches of cases)');
      const t0 = performance.now();
      const rebuilt = await rebuildProjections(db, {
        onProgress: (c, e) => {
          if (c % 10_000 === 0) process.stderr.write(`\r  ${c} cases, ${e} events`);
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      process.stderr.write('\n');
      rate = Math.round(rebuilt.events / seconds);
      console.log(
        `  rebuilt ${rebuilt.cases} cases from ${rebuilt.events} events in ${seconds.toFixed(1)} s: ${rate} events/s (target ≥ 20,000)`,
      );
      // What autovacuum does after a bulk load; the plans below assume fresh statistics and visibility maps.
      await sql`vacuum (analyze) cases, case_tasks, case_fees`.execute(db);
    }

    const mix = await sql<{
      status: string;
      alert: string;
      n: number;
    }>`select status, alert, count(*)::int as n from cases group by 1, 2 order by 1, 2`.execute(db);
    console.log(`\ncase mix: ${mix.rows.map((r) => `${r.status}/${r.alert} ${r.n}`).join(', ')}`);
    const taskMix = (
      await sql<{ tasks: number; open: number; open_yellow: number; open_overdue: number }>`
      select count(*)::int as tasks, count(*) filter (where open)::int as open,
             count(*) filter (where open and alert = 'yellow')::int as open_yellow, count(*) filter (where open and due_at < now())::int as open_overdue
      from case_tasks`.execute(db)
    ).rows[0]!;
    console.log(
      `tasks: ${taskMix.tasks}, open ${taskMix.open} (yellow ${taskMix.open_yellow}, past due ${taskMix.open_overdue})`,
    );
    // The dept= queries for the busiest department, a middling one and a small one: the plans differ.
    const byDept = (
      await sql<{
        dept: string;
        n: number;
      }>`select dept, count(*)::int as n from case_tasks where open group by dept order by 2 desc, 1`.execute(db)
    ).rows;
    const depts = [
      ...new Set([byDept[0]!, byDept[Math.floor(byDept.length / 2)]!, byDept[byDept.length - 1]!].map((d) => d.dept)),
    ];
    const dept = depts[0]!;
    console.log(
      `departments for the dept= queries (open tasks): ${depts.map((d) => `${d} ${byDept.find((x) => x.dept === d)!.n}`).join(', ')}`,
    );

    // The previous calendar month, as a supervisor asks for it (?from=YYYY-MM-01&to=YYYY-MM-last).
    const local = new Date(now + 8 * HOUR);
    const monthStart = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
    const monthEnd = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 0));
    const from = new Date(parseDateOrInstant(monthStart.toISOString().slice(0, 10))!);
    const to = new Date(parseDateOrInstant(monthEnd.toISOString().slice(0, 10))! + 86_400_000);
    // And the 30 days to today, the busiest stretch (the open cases are the recent ones).
    const today = parseDateOrInstant(local.toISOString().slice(0, 10))!;
    const last30 = [new Date(today - 29 * 86_400_000), new Date(today + 86_400_000)] as const;
    const month = monthStart.toISOString().slice(0, 7);

    // The daily department figures (kept by the projection) must add up to what the tasks say.
    const history = [new Date(today - 400 * 86_400_000), new Date(today + 86_400_000)] as const;
    for (const [name, a, b] of [
      [month, from, to],
      ['all history', ...history],
    ] as const) {
      const same =
        JSON.stringify(await departmentFigures(db, a, b)) ===
        JSON.stringify(await departmentFiguresFromTasks(db, a, b));
      console.log(`daily department figures = the tasks' aggregate (${name}): ${same ? 'yes' : 'NO'}`);
      if (!same) throw new Error(`department figures of ${name} differ from the tasks'`);
    }
    const monthTasks = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from case_tasks where assigned_at >= ${from} and assigned_at < ${to}`.execute(db)
    ).rows[0]!.n;
    const last30Tasks = (
      await sql<{
        n: number;
      }>`select count(*)::int as n from case_tasks where assigned_at >= ${last30[0]} and assigned_at < ${last30[1]}`.execute(
        db,
      )
    ).rows[0]!.n;
    console.log(`tasks assigned in ${month}: ${monthTasks}; in the last 30 days: ${last30Tasks}`);

    console.log(
      `\nqueries: ${WARMUP} warm-up runs, then ${RUNS} timed runs each (one connection at a time, as one request); load average ${loadavg()}`,
    );
    const filter = (f: Partial<SupervisionFilter>): SupervisionFilter => ({
      stalledHours: 24,
      now: new Date(),
      limit: 200,
      ...f,
    });
    const results: Measured[] = [];
    const supervision = (name: string, f: Partial<SupervisionFilter>) =>
      measure(name, () => supervisedCaseSummaries(db, filter(f)), capture);
    for (const f of ['overdue', 'at_risk', 'stuck'] as const) {
      results.push(await supervision(`supervision ?filter=${f}`, { filter: f }));
      for (const d of depts)
        results.push(await supervision(`supervision ?filter=${f}&dept=${d}`, { filter: f, dept: d }));
    }
    results.push(await supervision('supervision (no filter)', {}));
    results.push(await measure(`supervision stats ${month}`, () => departmentFigures(db, from, to), capture));
    results.push(await measure('supervision stats last 30 days', () => departmentFigures(db, ...last30), capture));
    results.push(
      await measure(
        `tasks ?state=pending&dept=${dept}`,
        () => departmentTasks(db, { dept, state: 'pending', limit: 1000 }),
        capture,
      ),
    );
    results.push(
      await measure(`cases ?dept=${dept} (limit 50)`, () => listCaseStates(db, { dept, limit: 51 }), capture),
    );
    results.push(
      await measure(
        `cases ?status=in_review&dept=${dept}`,
        () => listCaseStates(db, { status: 'in_review', dept, limit: 51 }),
        capture,
      ),
    );
    // For comparison: the variants the routes no longer read. Every row's whole CaseState; every task of the month.
    const compared = [
      await measure(
        '(compare) supervisedCases ?filter=overdue, whole states',
        () => supervisedCases(db, filter({ filter: 'overdue' })),
        capture,
      ),
      await measure(`(compare) stats ${month} from the tasks`, () => departmentFiguresFromTasks(db, from, to), capture),
    ];

    console.log(`\nsummary (ms); load average now ${loadavg()}`);
    console.log('  | query | rows | p50 | p95 | max |');
    console.log('  |---|---:|---:|---:|---:|');
    for (const m of [...results, ...compared])
      console.log(`  | ${m.name} | ${m.rows} | ${m.p50.toFixed(2)} | ${m.p95.toFixed(2)} | ${m.max.toFixed(2)} |`);
    const supervisionMax = Math.max(...results.filter((m) => m.name.startsWith('supervision')).map((m) => m.p95));
    console.log(
      `  worst supervision p95 ${supervisionMax.toFixed(2)} ms (target ≤ 20 ms); rebuild ${rate} events/s (target ≥ 20,000)`,
    );

    if (EXPLAIN) {
      console.log('\nplans: EXPLAIN (ANALYZE, BUFFERS) of every statement, with the parameters of the measured runs');
      for (const m of [...results, ...compared]) {
        for (const [i, q] of m.statements.entries()) {
          console.log(
            `\n--- ${m.name}${m.statements.length > 1 ? ` [statement ${i + 1}/${m.statements.length}]` : ''}`,
          );
          console.log(q.sql.replace(/\s+/g, ' '));
          console.log(await explain(pool, q));
        }
      }
    }
    const sizes = await sql<{ name: string; size: string }>`
      select relname as name, pg_size_pretty(pg_total_relation_size(relid)) as size from pg_stat_user_tables where relname in ('case_events', 'cases', 'case_tasks', 'case_fees', 'dept_task_figures', 'dept_opinion_days')
      union all
      select indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) from pg_stat_user_indexes where relname in ('case_events', 'cases', 'case_tasks', 'case_fees')`.execute(
      db,
    );
    console.log(
      `\nsizes (tables with their indexes and TOAST, then each index): ${sizes.rows.map((r) => `${r.name} ${r.size}`).join(', ')}`,
    );

    await liveCheck(db, time, now, history);
  } finally {
    for (const cleanup of cleanups.reverse())
      await Promise.resolve(cleanup()).catch((err) => console.error('cleanup', err));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
