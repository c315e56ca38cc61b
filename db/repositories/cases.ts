import type { CaseState, CaseStatus } from '../../domain/types';
import type { DbOrTrx } from '../index';

export async function caseState(db: DbOrTrx, caseNo: string): Promise<CaseState | undefined> {
  const row = await db.selectFrom('cases').select('state').where('case_no', '=', caseNo).executeTakeFirst();
  return row?.state;
}

export interface CaseListFilter {
  status?: CaseStatus;
  dept?: string;
  matterCode?: string;
  /** A case number (or its beginning) or part of the applicant's name. */
  search?: string;
  limit: number;
  /** case_no after which to continue (keyset pagination). */
  after?: string;
}

/** Newest first by case number; `dept` matches the cases the department reviews. */
export async function listCaseStates(db: DbOrTrx, f: CaseListFilter): Promise<CaseState[]> {
  let q = db.selectFrom('cases').select(['case_no', 'state']).orderBy('case_no', 'desc').limit(f.limit);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.matterCode) q = q.where('matter_code', '=', f.matterCode);
  if (f.after) q = q.where('case_no', '<', f.after);
  if (f.search) {
    const like = f.search.replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where((eb) => eb.or([eb('case_no', 'like', `${like}%`), eb('applicant_name', 'ilike', `%${like}%`)]));
  }
  if (f.dept) {
    const dept = f.dept;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('case_tasks')
          .select('case_tasks.case_no')
          .whereRef('case_tasks.case_no', '=', 'cases.case_no')
          .where('case_tasks.dept', '=', dept),
      ),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => r.state);
}
