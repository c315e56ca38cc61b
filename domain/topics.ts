import type { CaseEvent } from './events';
import { noticesFor } from './notifications';
import type { CaseState } from './types';

/**
 * Live-update topics (GET /api/stream): what a console screen listens to.
 * - `case:<caseNo>`   a case page;
 * - `inbox:<dept>`    a department's 待办 and inbox (`_supervisors` is the supervisors' inbox);
 * - `supervision`     the supervision dashboard and statistics.
 * A topic is a signal that what the screen shows has changed; the screen then reads it again
 * through the ordinary routes, so the stream never carries more than those routes would show.
 */
export type Topic = `case:${string}` | `inbox:${string}` | 'supervision';

const CODE = '[A-Za-z0-9_.-]{1,64}';
const TOPIC = new RegExp(`^(?:case:[A-Za-z0-9-]{1,64}|inbox:${CODE}|supervision)$`);

export function parseTopic(text: string): Topic | undefined {
  return TOPIC.test(text) ? (text as Topic) : undefined;
}

export type TopicSubject = { kind: 'case'; caseNo: string } | { kind: 'inbox'; dept: string } | { kind: 'supervision' };

export function topicSubject(topic: Topic): TopicSubject {
  if (topic === 'supervision') return { kind: 'supervision' };
  const [kind, rest] = [topic.slice(0, topic.indexOf(':')), topic.slice(topic.indexOf(':') + 1)];
  return kind === 'case' ? { kind: 'case', caseNo: rest } : { kind: 'inbox', dept: rest };
}

/**
 * The topics new events of a case touch: its page, the inboxes of every department reviewing it
 * (their task lists show its status and alerts) and of every receiver of a notice it raised, and
 * the supervision dashboard.
 */
export function topicsOfChange(state: CaseState, fresh: readonly CaseEvent[]): Topic[] {
  const depts = new Set([state.matter.leadDept, ...state.matter.coDepts]);
  for (const e of fresh) for (const n of noticesFor(e, state)) depts.add(n.dept);
  return [`case:${state.caseNo}`, ...[...depts].sort().map((d) => `inbox:${d}` as const), 'supervision'];
}
