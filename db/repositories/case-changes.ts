import type { CaseEvent } from '../../domain/events';
import { topicsOfChange, type Topic } from '../../domain/topics';
import type { CaseState } from '../../domain/types';

/** The PostgreSQL channel every API process LISTENs on for live updates (GET /api/stream). */
export const CASE_CHANGES_CHANNEL = 'case_changes';

/** What one append of a case's events tells the streams: which case, up to which event, which topics. */
export interface CaseChange {
  caseNo: string;
  seq: number;
  types: string[];
  topics: Topic[];
}

/** NOTIFY's payload must stay under 8,000 bytes; a change naming more is cut to its topics. */
const MAX_PAYLOAD = 7_500;

/**
 * The announcement of a case's new events on CASE_CHANGES_CHANNEL. The projection sends it with
 * pg_notify inside the transaction that appends them: PostgreSQL delivers the notification when (and
 * only if) that transaction commits, to every listening connection — so whichever process appended,
 * every API process's streams hear it.
 */
export function caseChangePayload(state: CaseState, fresh: readonly CaseEvent[]): string {
  const change: CaseChange = {
    caseNo: state.caseNo,
    seq: state.seq,
    types: [...new Set(fresh.map((e) => e.type))],
    topics: topicsOfChange(state, fresh),
  };
  const payload = JSON.stringify(change);
  return payload.length > MAX_PAYLOAD ? JSON.stringify({ ...change, types: [] }) : payload;
}

export function parseCaseChange(payload: string | undefined): CaseChange | undefined {
  if (!payload) return undefined;
  try {
    const c = JSON.parse(payload) as Partial<CaseChange>;
    if (typeof c.caseNo !== 'string' || typeof c.seq !== 'number' || !Array.isArray(c.topics)) return undefined;
    return { caseNo: c.caseNo, seq: c.seq, types: Array.isArray(c.types) ? c.types : [], topics: c.topics };
  } catch {
    return undefined;
  }
}
