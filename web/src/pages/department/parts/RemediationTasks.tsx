import { useQuery } from '@tanstack/react-query';
import { Table, Tag } from 'antd';
import { Link } from 'react-router';
import { api, asPage, ok } from '../../../api/client';
import { POLL_MS } from '../../../api/queries';
import { EmptyText } from '../../../components/EmptyText';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { RATING_LEVELS, TAG_COLORS, fullTime } from '../../../lib/labels';
import { pollInterval } from '../../../live/live';

type RemediationItem = Awaited<ReturnType<typeof remediations>>[number];

async function remediations() {
  return asPage(ok(await api.GET('/api/remediations', { params: { query: { state: 'all', limit: 200, cursor: '' } } })))
    .items;
}

/** 差评整改: the bad reviews this department must remediate, open ones first; late ones marked. */
export function RemediationTasks() {
  const list = useQuery({ queryKey: ['remediations'], queryFn: remediations, refetchInterval: pollInterval(POLL_MS) });
  const rows = [...(list.data ?? [])].sort((a, b) => Number(a.doneAt !== null) - Number(b.doneAt !== null));
  return (
    <>
      <ProblemAlert error={list.error} />
      <Table<RemediationItem>
        rowKey="caseNo"
        loading={list.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyText>暂无差评整改</EmptyText> }}
        columns={[
          {
            title: '办件编号',
            render: (_, r) => <Link to={`/cases/${encodeURIComponent(r.caseNo)}`}>{r.caseNo}</Link>,
          },
          { title: '评价', render: (_, r) => `${r.level} 星 · ${RATING_LEVELS[r.level] ?? ''}` },
          { title: '收到时间', render: (_, r) => fullTime(r.openedAt) },
          { title: '整改期限', render: (_, r) => fullTime(r.dueAt) },
          { title: '状态', render: (_, r) => <RemediationState item={r} /> },
        ]}
      />
    </>
  );
}

export function RemediationState({
  item,
}: {
  item: { doneAt: string | null; onTime: boolean | null; overdue: boolean };
}) {
  if (item.doneAt !== null)
    return item.onTime ? <Tag color={TAG_COLORS.green}>已按时整改</Tag> : <Tag color={TAG_COLORS.red}>逾期整改</Tag>;
  return item.overdue ? (
    <Tag color={TAG_COLORS.red}>已逾期 · 已升级督办</Tag>
  ) : (
    <Tag color={TAG_COLORS.blue}>待整改</Tag>
  );
}
