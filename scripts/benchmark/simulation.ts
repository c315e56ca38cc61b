import { addWorkingDays, dayOf, startOfDay, type DayNo, type TimeModel } from '../../domain/calendar';
import type { CaseCommand } from '../../domain/commands';
import { applyCommand } from '../../domain/apply';
import { DomainError } from '../../domain/errors';
import type { CaseEvent } from '../../domain/events';
import { nextTimer } from '../../domain/timers';
import { SYSTEM_ACTOR, type Actor, type CaseState, type MatterSnapshot, type Opinion } from '../../domain/types';
import { chance, pick, random, rint, weighted } from './random';

export const HOUR = 3_600_000;
export const WINDOW: Actor = { sub: 'win-01', role: 'window', dept: 'WIN', name: '综合窗口' };
export const SUPERVISOR: Actor = { sub: 'sup-01', role: 'supervisor', name: '效能监察' };
export const staffOf = (dept: string): Actor => ({
  sub: `${dept.toLowerCase()}-${rint(1, 4)}`,
  role: 'department',
  dept,
});

/**
 * One case driven through the real rules. Before every command the timers the case has armed are
 * fired in order (`tick` at each one's instant), exactly as the case workflow sleeps and ticks.
 * A command the rules refuse (a late opinion after deemed consent, …) is dropped, as the API would.
 */
export class CaseSim {
  state: CaseState | undefined;
  readonly events: CaseEvent[] = [];
  constructor(
    readonly caseNo: string,
    readonly time: TimeModel,
    readonly horizon: number,
  ) {}

  private apply(command: CaseCommand, actor: Actor, now: number): void {
    const applied = applyCommand(command, this.state, this.caseNo, { now, time: this.time, actor });
    if (!applied.events.length) return;
    this.state = applied.state;
    this.events.push(...applied.events);
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

export type Scenario =
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
export const FLOWS: (readonly [Scenario, number])[] = [
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
export const OPEN_STATES: {
  scenario: Scenario;
  weight: number;
  admits: (back: number, m: MatterSnapshot) => boolean;
}[] = [
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
export const CLOSED = new Set<Scenario>(FLOWS.map(([s]) => s));
/** Arrivals are uniform over HISTORY working days; of those of the last RECENT days, OPEN_SHARE are caught in an open state. */
export const HISTORY = 125;
export const RECENT = 25;
export const OPEN_SHARE = 0.75;

export interface Plan {
  scenario: Scenario;
  matter: MatterSnapshot;
  day: DayNo;
}

export class Simulator {
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
