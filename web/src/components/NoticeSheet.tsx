import { Typography } from 'antd';
import { fullTime } from '../lib/labels';

export interface NoticeRequest {
  /** Which department asks (补正), absent for the acceptance notice. */
  dept?: string;
  materials: { code: string; name: string }[];
}

/**
 * 一次性告知书 / 补正材料通知书 as a printable sheet: every missing material in one notice
 * (行政许可法 第三十二条), with the case number and, right after submission, the query code.
 */
export function NoticeSheet({
  kind,
  caseNo,
  matterName,
  applicant,
  submittedAt,
  requests,
  queryCode,
  clerk,
}: {
  kind: 'materials' | 'supplement';
  caseNo: string;
  matterName: string;
  applicant: string;
  submittedAt: string | null;
  requests: NoticeRequest[];
  queryCode?: string;
  clerk?: string;
}) {
  let n = 0;
  return (
    <article className="print-sheet" aria-label={kind === 'materials' ? '一次性告知书' : '补正材料通知书'}>
      <Typography.Title level={2} style={{ textAlign: 'center', fontSize: 24, letterSpacing: 4 }}>
        {kind === 'materials' ? '一次性告知书' : '补正材料通知书'}
      </Typography.Title>
      <p style={{ textAlign: 'right' }}>办件编号：{caseNo}</p>
      <p>{applicant}：</p>
      <p style={{ textIndent: '2em' }}>
        您于 {fullTime(submittedAt)} 申请办理的“{matterName}”事项，
        {kind === 'materials'
          ? '经审查，申请材料不齐全。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知您需补齐以下全部材料：'
          : '经各审查部门审查，需要补正材料。现将需补正的全部材料一次性告知如下：'}
      </p>
      {requests.map((r, i) => (
        <div key={r.dept ?? i}>
          {r.dept && <p style={{ fontWeight: 600 }}>{r.dept}：</p>}
          <ol start={n + 1} style={{ paddingLeft: '3em' }} data-testid="notice-materials">
            {r.materials.map((m) => {
              n += 1;
              return <li key={m.code}>{m.name}</li>;
            })}
          </ol>
        </div>
      ))}
      <p style={{ textIndent: '2em' }}>
        {kind === 'materials'
          ? '请您补齐上述材料后到本中心综合窗口提交，材料齐全后即予受理。'
          : '请您补正上述材料后到本中心综合窗口提交；补正期间审批时限中止计算，材料补齐后恢复计算。'}
      </p>
      {queryCode && (
        <p style={{ textIndent: '2em' }}>
          您可凭办件编号和查询码 <strong data-testid="query-code">{queryCode}</strong> 查询办理进度，请妥善保管。
        </p>
      )}
      <p style={{ textAlign: 'right', marginTop: 48 }}>
        政务服务中心综合窗口（盖章）
        <br />
        {clerk && `经办人：${clerk}　`}
        {fullTime(new Date().toISOString()).replace(/ .*/, '')}
      </p>
    </article>
  );
}
