import { ProvisionalTag } from '../../components/ProvisionalTag';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok, type CaseView } from '../../api/client';
import { POLL_MS } from '../../api/queries';
import type { paths } from '../../api/schema';
import { useSession } from '../../auth/session';
import { AlertTag, StatusTag } from '../../components/CaseTags';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import { STATUS_LABELS, fullTime } from '../../lib/labels';
import { pollInterval } from '../../live/live';
import { SavedViews } from '../../components/SavedViews';

type Status = NonNullable<paths['/api/cases']['get']['parameters']['query']>['status'];

/** The cases a staff member may see, newest first, filtered by status and searched by number or applicant. */
export default function CaseListPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? undefined) as Status | undefined;
  const q = params.get('q') ?? undefined;
  const [cursor, setCursor] = useState<string | undefined>();
  const [search, setSearch] = useState(q ?? '');
  const list = useQuery({
    queryKey: ['cases', { status, q, cursor }],
    queryFn: async () => ok(await api.GET('/api/cases', { params: { query: { status, q, cursor, limit: 20 } } })),
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(POLL_MS),
  });
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setCursor(undefined);
    setParams(next, { replace: true });
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          办件列表
        </Typography.Title>
      }
      extra={
        session?.claims.role === 'window' && (
          <Link to="/window/new">
            <Button type="primary">新建申请</Button>
          </Link>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label="按状态筛选"
          allowClear
          placeholder="全部状态"
          style={{ width: 160 }}
          value={status}
          onChange={(v?: string) => set('status', v)}
          options={Object.entries(STATUS_LABELS).map(([value, text]) => ({ value, label: text }))}
        />
        <Input.Search
          aria-label="按办件编号或申请人查找"
          placeholder="办件编号或申请人"
          allowClear
          enterButton="查找"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => set('q', v.trim() || undefined)}
          style={{ width: 320 }}
        />
        <SavedViews
          screen="cases"
          current={{ status }}
          onApply={(f) => set('status', typeof f.status === 'string' ? f.status : undefined)}
        />
      </Space>
      <ProblemAlert error={list.error} />
      <Table<CaseView>
        rowKey="caseNo"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyText>没有符合条件的办件</EmptyText> }}
        columns={[
          {
            title: '办件编号',
            dataIndex: 'caseNo',
            render: (no: string) => <Link to={`/cases/${encodeURIComponent(no)}`}>{no}</Link>,
          },
          { title: '事项', dataIndex: 'matterName' },
          { title: '申请人', render: (_, c) => c.applicant.name },
          { title: '状态', dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: '预警', dataIndex: 'alert', render: (a: string) => <AlertTag alert={a} /> },
          {
            title: '承诺期限',
            render: (_, c) => (
              <>
                {fullTime(c.deadline)} {c.deadlineProvisional && <ProvisionalTag />}
              </>
            ),
          },
          {
            title: '剩余工作日',
            render: (_, c) => c.clock.remainingWorkingDays ?? '—',
          },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        {cursor && <Button onClick={() => setCursor(undefined)}>回到第一页</Button>}
        {list.data?.nextCursor && <Button onClick={() => setCursor(list.data.nextCursor ?? undefined)}>下一页</Button>}
      </Space>
    </Card>
  );
}
