import { sql } from 'kysely';
import type { Db } from '..';
import type { CaseState } from '../../domain/types';

export interface RemediationFilter {
  /** Only this department's remediations. */
  dept?: string;
  state: 'open' | 'done' | 'all';
  /** The page after this case number. */
  after?: string;
  limit: number;
}

/**
 * Cases with a remediation (好差评 整改), by case number (cases_remediation_idx): their whole state,
 * since the remediation lives in it.
 */
export async function casesWithRemediation(db: Db, f: RemediationFilter): Promise<CaseState[]> {
  let q = db
    .selectFrom('cases')
    .select('state')
    .where(sql<boolean>`state->'remediation' is not null`)
    .orderBy('case_no')
    .limit(f.limit);
  if (f.after !== undefined) q = q.where('case_no', '>', f.after);
  if (f.dept !== undefined) q = q.where(sql<boolean>`state->'remediation'->>'dept' = ${f.dept}`);
  if (f.state === 'open') q = q.where(sql<boolean>`state->'remediation'->'doneAt' is null`);
  if (f.state === 'done') q = q.where(sql<boolean>`state->'remediation'->'doneAt' is not null`);
  return (await q.execute()).map((row) => row.state);
}
