import { Card, Table, Tabs, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { TaskView } from '../../api/client';
import { useTaskPages } from '../../api/queries';
import { AlertTag, StatusTag } from '../../components/CaseTags';
import { EmptyText } from '../../components/EmptyText';
import { LoadMore } from '../../components/LoadMore';
import { ProvisionalTag } from '../../components/ProvisionalTag';
import { ProblemAlert } from '../../components/ProblemAlert';
import { InboxList } from './parts/InboxList';
import { RemediationTasks } from './parts/RemediationTasks';
import { TASK_STATUS_LABELS, VERDICT_LABELS, fullTime, label } from '../../lib/labels';

const caseLink = (t: TaskView) => <Link to={`/dept/tasks/${encodeURIComponent(t.caseNo)}`}>{t.caseNo}</Link>;

/**
 * 待办: this department's open tasks, the most urgent first, with working days left and the yellow/red
 * marks; a page at a time from the server, so a long inbox opens as fast as a short one.
 */
function PendingTasks() {
  const tasks = useTaskPages('pending');
  const rows = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ProblemAlert error={tasks.error} />
      <Table<TaskView>
        rowKey={(t) => `${t.caseNo}-${t.round}`}
        loading={tasks.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <EmptyText>暂无待办</EmptyText> }}
        rowClassName={(t) => `task-${t.alert}`}
        columns={[
          { title: '办件编号', render: (_, t) => caseLink(t) },
          { title: '事项', dataIndex: 'matterName' },
          { title: '申请人', dataIndex: 'applicantName' },
          { title: '角色', render: (_, t) => (t.role === 'lead' ? '牵头' : '协办') },
          { title: '轮次', dataIndex: 'round' },
          { title: '办件状态', render: (_, t) => <StatusTag status={t.caseStatus} /> },
          { title: '收到时间', render: (_, t) => fullTime(t.assignedAt) },
          {
            title: '审查期限',
            render: (_, t) => (
              <>
                {fullTime(t.dueAt)} {t.dueProvisional && <ProvisionalTag />}
              </>
            ),
          },
          {
            title: '剩余工作日',
            render: (_, t) => <span data-testid="task-remaining">{t.remainingWorkingDays ?? '—'}</span>,
          },
          { title: '预警', render: (_, t) => <AlertTag alert={t.alert} /> },
        ]}
      />
      <LoadMore pages={tasks} shown={rows.length} />
    </>
  );
}

/** 已办: what this department has answered (or let pass), the latest first. */
function DoneTasks() {
  const tasks = useTaskPages('done');
  const rows = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ProblemAlert error={tasks.error} />
      <Table<TaskView>
        rowKey={(t) => `${t.caseNo}-${t.round}`}
        loading={tasks.isLoading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <EmptyText>暂无已办</EmptyText> }}
        columns={[
          {
            title: '办件编号',
            render: (_, t) => <Link to={`/cases/${encodeURIComponent(t.caseNo)}`}>{t.caseNo}</Link>,
          },
          { title: '事项', dataIndex: 'matterName' },
          { title: '申请人', dataIndex: 'applicantName' },
          { title: '轮次', dataIndex: 'round' },
          { title: '结果', render: (_, t) => label(TASK_STATUS_LABELS, t.status) },
          { title: '意见', render: (_, t) => label(VERDICT_LABELS, t.verdict) },
          { title: '提出时间', render: (_, t) => fullTime(t.givenAt) },
          { title: '办件状态', render: (_, t) => <StatusTag status={t.caseStatus} /> },
        ]}
      />
      <LoadMore pages={tasks} shown={rows.length} />
    </>
  );
}

export default function WorkbenchPage() {
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = asked === 'done' || asked === 'inbox' || asked === 'remediation' ? asked : 'pending';
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          部门工作台
        </Typography.Title>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'pending' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'pending', label: '待办', children: <PendingTasks /> },
          { key: 'done', label: '已办', children: <DoneTasks /> },
          { key: 'inbox', label: '通知', children: <InboxList /> },
          { key: 'remediation', label: '差评整改', children: <RemediationTasks /> },
        ]}
      />
    </Card>
  );
}
