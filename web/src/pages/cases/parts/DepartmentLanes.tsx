import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { AlertTag } from '../../../components/CaseTags';
import { TASK_STATUS_LABELS, VERDICT_LABELS, fullTime, label, yuan } from '../../../lib/labels';

type Lane = CaseView['departments'][number];

function LaneCard({ lane }: { lane: Lane }) {
  const deptName = useDeptName();
  const done = lane.status !== 'pending';
  return (
    <Card
      size="small"
      data-testid={`lane-${lane.dept}`}
      title={
        <Space>
          <span>{deptName(lane.dept)}</span>
          <Tag>{lane.role === 'lead' ? '牵头' : '协办'}</Tag>
        </Space>
      }
      extra={<AlertTag alert={lane.alert} />}
      style={{ height: '100%', borderTop: `3px solid ${done ? '#52c41a' : '#1557b0'}` }}
    >
      <div>
        第 {lane.round} 轮 · {label(TASK_STATUS_LABELS, lane.status)}
      </div>
      <div>期限：{fullTime(lane.dueAt)}</div>
      <div>
        意见：<strong>{lane.verdict ? label(VERDICT_LABELS, lane.verdict) : '—'}</strong>
        {lane.givenAt && <Typography.Text type="secondary">（{fullTime(lane.givenAt)}）</Typography.Text>}
      </div>
      {lane.conditions.length > 0 && <div>条件：{lane.conditions.join('；')}</div>}
      {lane.comment && <div>说明：{lane.comment}</div>}
      {lane.fees.length > 0 && <div>收费：{lane.fees.map((f) => `${f.item} ${yuan(f.amountCents)}`).join('、')}</div>}
    </Card>
  );
}

/** The review as lanes, one per department, side by side: round, status, due time, verdict. */
export function DepartmentLanes({ view }: { view: CaseView }) {
  if (view.departments.length === 0)
    return <Typography.Paragraph type="secondary">受理后各部门将同时收到抄告。</Typography.Paragraph>;
  return (
    <section aria-label="各部门审查">
      <Row gutter={[12, 12]}>
        {view.departments.map((lane) => (
          <Col key={lane.dept} xs={24} md={12} xl={8}>
            <LaneCard lane={lane} />
          </Col>
        ))}
      </Row>
    </section>
  );
}
