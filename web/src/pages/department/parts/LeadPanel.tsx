import { Card, Divider, Typography } from 'antd';
import type { CaseView } from '../../../api/client';
import { ConveneMeeting } from './ConveneMeeting';
import { DecisionForm } from './DecisionForm';
import { MeetingMinutes } from './MeetingMinutes';
import { SpecialProcedures } from './SpecialProcedures';

/** What only the lead department does: meetings and minutes, special procedures, the decision. */
export function LeadPanel({ view }: { view: CaseView }) {
  const reviewing = view.status === 'in_review' || view.status === 'suspended';
  return (
    <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>牵头部门办理</h3>} size="small">
      {view.status === 'deciding' && <DecisionForm view={view} />}
      {view.status !== 'deciding' && !reviewing && (
        <Typography.Paragraph type="secondary">办件已进入后续环节，无需牵头部门办理。</Typography.Paragraph>
      )}
      {reviewing && (
        <>
          <Typography.Title level={4} style={{ fontSize: 15 }}>
            联合踏勘 / 联审会议
          </Typography.Title>
          <MeetingMinutes view={view} />
          {view.status === 'in_review' && <ConveneMeeting view={view} />}
          <Divider />
          <Typography.Title level={4} style={{ fontSize: 15 }}>
            特别程序
          </Typography.Title>
          <SpecialProcedures view={view} />
        </>
      )}
    </Card>
  );
}
