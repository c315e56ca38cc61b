import type { Client } from '@temporalio/client';
import type { Db } from '../db';
import { UNDER_REVIEW } from '../domain/status';
import {
  CaseAlertAttribute,
  CaseDeadlineAttribute,
  CaseStatusAttribute,
  MatterCodeAttribute,
  PendingDeptsAttribute,
} from '../workflows/search-attributes';

export interface Drift {
  caseNo: string;
  field: string;
  temporal: unknown;
  projection: unknown;
}

interface Seen {
  status?: string;
  alert?: string;
  deadline?: string | null;
  pending: string[];
}

const sorted = (xs: string[]) => [...xs].sort().join(',');

/**
 * Compares what Temporal's visibility says of every case workflow (its search attributes) with
 * the projections in PostgreSQL, and lists every disagreement. `matterCode` narrows the check.
 */
export async function reconcile(
  db: Db,
  client: Client,
  opts: { matterCode?: string } = {},
): Promise<{ checked: number; drift: Drift[] }> {
  const query = `WorkflowType = 'caseWorkflow'${opts.matterCode ? ` AND ${MatterCodeAttribute.name} = '${opts.matterCode.replace(/'/g, '')}'` : ''}`;
  const temporal = new Map<string, Seen>();
  for await (const wf of client.workflow.list({ query })) {
    const sa = wf.typedSearchAttributes;
    const deadline = sa.get(CaseDeadlineAttribute);
    temporal.set(wf.workflowId, {
      status: sa.get(CaseStatusAttribute),
      alert: sa.get(CaseAlertAttribute),
      deadline: deadline ? deadline.toISOString() : null,
      pending: sa.get(PendingDeptsAttribute) ?? [],
    });
  }
  let cases = db.selectFrom('cases').select(['case_no', 'status', 'alert', 'deadline']);
  if (opts.matterCode) cases = cases.where('matter_code', '=', opts.matterCode);
  const rows = await cases.execute();
  const pendingRows = await db
    .selectFrom('case_tasks')
    .select(['case_no', 'dept'])
    .where('status', '=', 'pending')
    .where('open', '=', true)
    .where('case_no', 'in', rows.length ? rows.map((r) => r.case_no) : [''])
    .execute();
  const drift: Drift[] = [];
  for (const row of rows) {
    const seen = temporal.get(row.case_no);
    if (!seen) {
      drift.push({ caseNo: row.case_no, field: 'workflow', temporal: null, projection: 'present' });
      continue;
    }
    temporal.delete(row.case_no);
    const pending = pendingRows.filter((p) => p.case_no === row.case_no).map((p) => p.dept);
    const compare: [string, unknown, unknown][] = [
      ['status', seen.status, row.status],
      ['alert', seen.alert, row.alert],
      ['deadline', seen.deadline, row.deadline ? row.deadline.toISOString() : null],
      ['pendingDepts', sorted(seen.pending), sorted(UNDER_REVIEW.includes(row.status) ? pending : [])],
    ];
    for (const [field, t, p] of compare)
      if (t !== p) drift.push({ caseNo: row.case_no, field, temporal: t, projection: p });
  }
  for (const [caseNo] of temporal) drift.push({ caseNo, field: 'projection', temporal: 'present', projection: null });
  return { checked: rows.length, drift };
}
