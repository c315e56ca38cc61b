import { Card, Descriptions, List, Tag } from 'antd';
import { useDeptName } from '../../../api/queries';
import type { Application } from '../../../lib/application';

/** The application as the window took it: applicant, priority and every material with whether it is in. */
export function ApplicationCard({ app }: { app: Application }) {
  const deptName = useDeptName();
  return (
    <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>申请信息与材料</h3>} size="small">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label="申请人">{app.applicant.name}</Descriptions.Item>
        {app.applicant.idNumber && <Descriptions.Item label="证件号码">{app.applicant.idNumber}</Descriptions.Item>}
        {app.applicant.phone && <Descriptions.Item label="联系电话">{app.applicant.phone}</Descriptions.Item>}
        <Descriptions.Item label="事项">{app.matterName}</Descriptions.Item>
        <Descriptions.Item label="审查部门">
          {[app.leadDept, ...app.coDepts].map((d) => deptName(d)).join('、')}
        </Descriptions.Item>
        {app.priority === 'green_channel' && (
          <Descriptions.Item label="办理通道">
            <Tag color="green">绿色通道</Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
      <List
        size="small"
        header="申请材料"
        dataSource={app.requiredMaterials}
        renderItem={(m) => (
          <List.Item>
            {m.name} {app.received.has(m.code) ? <Tag color="green">已提交</Tag> : <Tag color="orange">未提交</Tag>}
          </List.Item>
        )}
      />
    </Card>
  );
}
