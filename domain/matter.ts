import { refusal } from './errors';
import { MATTER_DEFAULTS, type MatterSnapshot } from './types';

/** A matter as an admin defines it: the catalog fills what is left out. */
export type MatterDefinition = Omit<
  MatterSnapshot,
  'code' | 'statutoryLimitDays' | 'deptReviewDays' | 'warnDays' | 'paymentDays'
> &
  Partial<MatterSnapshot>;

/** Fills the catalog defaults (statutory 45, department review 7 working days, …). */
export function withMatterDefaults(code: string, input: MatterDefinition): MatterSnapshot {
  return {
    code,
    name: input.name,
    leadDept: input.leadDept,
    coDepts: input.coDepts.filter((d) => d !== input.leadDept),
    requiredMaterials: input.requiredMaterials,
    timeLimitDays: input.timeLimitDays,
    statutoryLimitDays: input.statutoryLimitDays ?? MATTER_DEFAULTS.statutoryLimitDays,
    deptReviewDays: input.deptReviewDays ?? MATTER_DEFAULTS.deptReviewDays,
    warnDays: input.warnDays ?? MATTER_DEFAULTS.warnDays,
    silencePolicy: input.silencePolicy,
    fees: input.fees,
    paymentDays: input.paymentDays ?? MATTER_DEFAULTS.paymentDays,
    deferredDays: input.deferredDays ?? MATTER_DEFAULTS.deferredDays,
    verifyDept: input.verifyDept ?? input.leadDept,
    verifyDays: input.verifyDays ?? MATTER_DEFAULTS.verifyDays,
  };
}

/** The departments that review a case of this matter: the lead first, then the co-handling ones. */
export const reviewingDepts = (matter: Pick<MatterSnapshot, 'leadDept' | 'coDepts'>): string[] => [
  matter.leadDept,
  ...matter.coDepts,
];

/** Refuses a matter the catalog cannot hold: fees of departments that do not review it, repeated material codes. */
export function assertValidMatter(matter: MatterSnapshot): void {
  const reviewing = reviewingDepts(matter);
  const strayFees = matter.fees.filter((f) => !reviewing.includes(f.dept));
  if (strayFees.length)
    throw refusal(
      'fee_dept_not_reviewing',
      `fee items of departments that do not review this matter: ${strayFees.map((f) => f.dept).join(', ')}`,
    );
  const codes = matter.requiredMaterials.map((m) => m.code);
  if (new Set(codes).size !== codes.length) throw refusal('duplicate_material', 'material codes must be unique');
}
