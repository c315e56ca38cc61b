import { Descriptions, Space, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { AlertTag, StatusTag } from '../../../components/CaseTags';
import { ProvisionalTag } from '../../../components/ProvisionalTag';
import { SUSPENSION_KINDS, TAG_COLORS, fullTime, label } from '../../../lib/labels';

/** Number, matter, status, lead, both deadlines, working days used and left, alert and suspensions. */
export function CaseHeader({ view }: { view: CaseView }) {
  const deptName = useDeptName();
  const { clock } = view;
  return (
    <>
      <Space align="center" wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
          {view.matterName}
        </Typography.Title>
        <StatusTag status={view.status} />
        <AlertTag alert={view.alert} />
        {view.priority === 'green_channel' && <Tag color={TAG_COLORS.green}>绿色通道</Tag>}
      </Space>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label="办件编号">
          <span data-testid="case-no">{view.caseNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label="申请人">{view.applicant.name}</Descriptions.Item>
        <Descriptions.Item label="牵头部门">{deptName(view.leadDept)}</Descriptions.Item>
        <Descriptions.Item label="受理时间">{fullTime(view.acceptedAt)}</Descriptions.Item>
        <Descriptions.Item label="承诺办结期限">
          {fullTime(view.deadline)}（{clock.timeLimitDays} 个工作日）
          {view.deadlineProvisional && <ProvisionalTag />}
        </Descriptions.Item>
        <Descriptions.Item label="法定期限">
          {fullTime(view.statutoryDeadline)}（{clock.statutoryLimitDays} 个工作日）
        </Descriptions.Item>
        <Descriptions.Item label="已用工作日">{clock.usedWorkingDays}</Descriptions.Item>
        <Descriptions.Item label="剩余工作日">
          <span data-testid="remaining-days">{clock.remainingWorkingDays ?? '—'}</span>
          {clock.extensionDays > 0 && `（含延期 ${clock.extensionDays} 日）`}
        </Descriptions.Item>
        <Descriptions.Item label="计时中止">
          {clock.suspensions.length === 0
            ? '无'
            : clock.suspensions.map((s, i) => (
                <div key={i}>
                  {label(SUSPENSION_KINDS, s.kind)}：{fullTime(s.from)} 至 {s.to ? fullTime(s.to) : '今'}
                  {s.workingDays !== null && `（${s.workingDays} 个工作日）`}
                </div>
              ))}
        </Descriptions.Item>
        {view.termination && <Descriptions.Item label="终止原因">{view.termination.reason}</Descriptions.Item>}
        {view.result && (
          <Descriptions.Item label="证照编号">
            {view.result.number}（{fullTime(view.result.issuedAt)}）
          </Descriptions.Item>
        )}
        {view.lateWorkingDays !== null && view.lateWorkingDays > 0 && (
          <Descriptions.Item label="超期">{view.lateWorkingDays} 个工作日</Descriptions.Item>
        )}
      </Descriptions>
    </>
  );
}
