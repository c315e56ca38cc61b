import { MATTER_DEFAULTS, type MatterSnapshot } from '../../domain/types';
import type { DbOrTrx } from '../index';

export interface DepartmentInput {
  name: string;
  webhookUrl?: string;
}

export async function putDepartment(db: DbOrTrx, code: string, input: DepartmentInput) {
  const values = { code, name: input.name, webhook_url: input.webhookUrl ?? null };
  await db
    .insertInto('departments')
    .values(values)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ name: values.name, webhook_url: values.webhook_url, updated_at: new Date() }),
    )
    .execute();
  return { code, name: input.name, webhookUrl: input.webhookUrl ?? null };
}

export async function listDepartments(db: DbOrTrx) {
  const rows = await db.selectFrom('departments').select(['code', 'name', 'webhook_url']).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, webhookUrl: r.webhook_url }));
}

export async function existingDepartments(db: DbOrTrx, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('departments').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** Fills the catalog defaults (statutory 45, department review 7 working days, …). */
export function withMatterDefaults(
  code: string,
  input: Omit<MatterSnapshot, 'code' | 'statutoryLimitDays' | 'deptReviewDays' | 'warnDays' | 'paymentDays'> &
    Partial<MatterSnapshot>,
): MatterSnapshot {
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
  };
}

export async function putMatter(db: DbOrTrx, matter: MatterSnapshot): Promise<void> {
  const values = {
    code: matter.code,
    name: matter.name,
    lead_dept: matter.leadDept,
    definition: JSON.stringify(matter),
  };
  await db
    .insertInto('matters')
    .values(values)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        name: values.name,
        lead_dept: values.lead_dept,
        definition: values.definition,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function getMatter(db: DbOrTrx, code: string): Promise<MatterSnapshot | undefined> {
  const row = await db.selectFrom('matters').select('definition').where('code', '=', code).executeTakeFirst();
  return row?.definition;
}

export async function listMatters(db: DbOrTrx): Promise<MatterSnapshot[]> {
  const rows = await db.selectFrom('matters').select('definition').orderBy('code').execute();
  return rows.map((r) => r.definition);
}
