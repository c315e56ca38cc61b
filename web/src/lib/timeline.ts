import type { CaseEvent } from '../api/client';
import {
  MEETING_KINDS,
  ROLE_LABELS,
  SUSPENSION_KINDS,
  VERDICT_LABELS,
  fullTime,
  label,
  shortTime,
  yuan,
} from './labels';

type Data = Record<string, unknown>;
const str = (d: Data, key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
const num = (d: Data, key: string) => (typeof d[key] === 'number' ? (d[key] as number) : 0);
const list = (d: Data, key: string): unknown[] => (Array.isArray(d[key]) ? (d[key] as unknown[]) : []);
const names = (items: unknown[]) =>
  items
    .map((m) => (m && typeof m === 'object' && 'name' in m ? String((m as { name: unknown }).name) : String(m)))
    .join('、');

export interface TimelineEntry {
  seq: number;
  at: string;
  /** "12月1日 09:30 消防救援支队 张三 提出意见：同意" */
  sentence: string;
  /** Who acted, in words ("消防救援支队 张三", "系统"). */
  who: string;
  what: string;
  tone: 'blue' | 'green' | 'red' | 'gray' | 'orange';
  /** While the case clock stood still (a suspension span). */
  suspended: boolean;
}

/**
 * The case's events as Chinese sentences with who and when. `deptName` turns department codes into
 * names; materials are named from the matter snapshot the case was submitted with.
 */
export function timeline(events: readonly CaseEvent[], deptName: (code: string) => string): TimelineEntry[] {
  const materialNames = new Map<string, string>();
  let suspended = false;
  return events.map((e) => {
    const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
    const dept = (code: unknown) => deptName(String(code ?? ''));
    const material = (codes: unknown[]) => codes.map((c) => materialNames.get(String(c)) ?? String(c)).join('、');
    let what: string;
    let tone: TimelineEntry['tone'] = 'blue';
    switch (e.type) {
      case 'submitted': {
        const matter = (d.matter ?? {}) as Data;
        for (const m of list(matter, 'requiredMaterials') as { code: string; name: string }[])
          materialNames.set(m.code, m.name);
        const applicant = (d.applicant ?? {}) as Data;
        what = `收取申请：${str(matter, 'name')}，申请人 ${str(applicant, 'name')}，收到材料 ${list(d, 'materials').length} 项${
          str(d, 'priority') === 'green_channel' ? '（绿色通道）' : ''
        }`;
        break;
      }
      case 'materials_notice_issued':
        what = `出具一次性告知书，须补齐：${names(list(d, 'missing'))}`;
        tone = 'orange';
        break;
      case 'materials_supplemented':
        what = `登记补齐材料：${material(list(d, 'materials'))}`;
        break;
      case 'accepted':
        what = `受理，承诺办结期限 ${fullTime(str(d, 'deadline'))}`;
        tone = 'green';
        break;
      case 'refused':
        what = `不予受理：${str(d, 'reason')}`;
        tone = 'red';
        break;
      case 'copied_to_department':
        what = `抄告${dept(d.dept)}（${str(d, 'role') === 'lead' ? '牵头' : '协办'}，第 ${num(d, 'round')} 轮，${shortTime(str(d, 'dueAt'))} 前提出意见）`;
        break;
      case 'opinion_given': {
        const o = (d.opinion ?? {}) as Data;
        const verdict = str(o, 'verdict');
        const parts = [`提出意见：${label(VERDICT_LABELS, verdict)}`];
        const conditions = list(o, 'conditions');
        if (conditions.length) parts.push(`条件：${conditions.join('；')}`);
        if (str(o, 'reason')) parts.push(`理由：${str(o, 'reason')}`);
        if (str(o, 'legalBasis')) parts.push(`依据：${str(o, 'legalBasis')}`);
        if (list(o, 'materials').length) parts.push(`须补正：${names(list(o, 'materials'))}`);
        const fees = list(o, 'fees') as { item: string; amountCents: number }[];
        if (fees.length) parts.push(`收费：${fees.map((f) => `${f.item} ${yuan(f.amountCents)}`).join('、')}`);
        what = parts.join('，');
        tone = verdict === 'reject' ? 'red' : verdict === 'request_supplement' ? 'orange' : 'green';
        break;
      }
      case 'opinion_deemed':
        what = `${dept(d.dept)}逾期未提出意见，视为同意`;
        tone = 'orange';
        break;
      case 'review_completed':
        what = `第 ${num(d, 'round')} 轮审查意见已齐`;
        break;
      case 'supplement_notice_issued':
        what = `出具补正通知书，须补正：${names(list(d, 'materials'))}`;
        tone = 'orange';
        break;
      case 'clock_suspended':
        suspended = true;
        what = `计时中止（${label(SUSPENSION_KINDS, str(d, 'kind'))}）`;
        tone = 'gray';
        break;
      case 'supplement_registered':
        what = `登记补正材料：${material(list(d, 'materials'))}${
          list(d, 'outstanding').length ? `，尚缺：${material(list(d, 'outstanding'))}` : ''
        }`;
        break;
      case 'clock_resumed':
        suspended = false;
        what = `计时恢复，中止 ${num(d, 'workingDays')} 个工作日，承诺期限顺延至 ${fullTime(str(d, 'deadline'))}`;
        tone = 'gray';
        break;
      case 'meeting_convened':
        what = `召集${label(MEETING_KINDS, str(d, 'kind'))}（${shortTime(str(d, 'scheduledAt'))}，${list(d, 'departments').map(dept).join('、')}）`;
        break;
      case 'minutes_recorded':
        what = `登记会议纪要：${(list(d, 'findings') as { dept: string; text: string }[]).map((f) => `${dept(f.dept)}：${f.text}`).join('；')}`;
        break;
      case 'special_procedure_started':
        what = `启动特别程序：${str(d, 'kind')}（${str(d, 'reason')}）`;
        tone = 'gray';
        break;
      case 'special_procedure_ended':
        what = `特别程序结束：${str(d, 'outcome')}`;
        tone = 'gray';
        break;
      case 'department_warned':
        what = `${dept(d.dept)}审查期限即将届满（黄牌）`;
        tone = 'orange';
        break;
      case 'department_overdue':
        what = `${dept(d.dept)}审查超期（红牌）`;
        tone = 'red';
        break;
      case 'case_warned':
        what = `办件剩余 ${num(d, 'remainingWorkingDays')} 个工作日（黄牌预警）`;
        tone = 'orange';
        break;
      case 'case_overdue':
        what = '办件超过承诺办结期限（红牌）';
        tone = 'red';
        break;
      case 'escalated':
        what = `督办升级：${str(d, 'reason')}`;
        tone = 'red';
        break;
      case 'urged':
        what = `督办：${str(d, 'message')}`;
        tone = 'orange';
        break;
      case 'extension_granted':
        what = `延期 ${num(d, 'workingDays')} 个工作日：${str(d, 'reason')}`;
        break;
      case 'decided': {
        const approve = str(d, 'decision') === 'approve';
        what = `作出决定：${approve ? '准予许可' : '不予许可'}${str(d, 'reason') ? `，理由：${str(d, 'reason')}` : ''}${
          str(d, 'overruleReason') ? `（否决不予许可意见，理由：${str(d, 'overruleReason')}）` : ''
        }`;
        tone = approve ? 'green' : 'red';
        break;
      }
      case 'negative_filing_reviewed':
        what = `否定报备审查：${str(d, 'outcome') === 'confirm' ? '确认不予许可' : '推翻，退回牵头部门重新决定'}`;
        break;
      case 'payment_notice_issued':
        what = `出具缴费通知书，合计 ${yuan(num(d, 'totalCents'))}`;
        break;
      case 'payment_reminded':
        what = '提醒申请人缴费';
        tone = 'orange';
        break;
      case 'payment_confirmed':
        what = `确认缴费 ${yuan(num(d, 'amountCents'))}（缴费单号 ${str(d, 'paymentRef')}）`;
        tone = 'green';
        break;
      case 'completed':
        what = `办结，证照编号 ${str(d, 'resultNumber')}，${
          d.onTime === false ? `超期 ${num(d, 'lateWorkingDays')} 个工作日` : '按期办结'
        }`;
        tone = 'green';
        break;
      case 'withdrawn':
        what = `撤回申请：${str(d, 'reason')}`;
        tone = 'gray';
        break;
      case 'terminated':
        what = `终止：${str(d, 'reason')}`;
        tone = 'red';
        break;
      default:
        what = e.type;
    }
    const who =
      e.actor.role === 'system'
        ? '系统'
        : [e.actor.dept ? dept(e.actor.dept) : label(ROLE_LABELS, e.actor.role), e.actor.name ?? e.actor.sub]
            .filter(Boolean)
            .join(' ');
    const entry: TimelineEntry = {
      seq: e.seq,
      at: e.at,
      who,
      what,
      sentence: `${shortTime(e.at)} ${who} ${what}`,
      tone,
      suspended: suspended && e.type !== 'clock_suspended',
    };
    return entry;
  });
}
