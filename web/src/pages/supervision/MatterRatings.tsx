import { useQuery } from '@tanstack/react-query';
import { Card, Table } from 'antd';
import type { ReactNode } from 'react';
import { api, ok } from '../../api/client';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';

type MatterStats = Awaited<ReturnType<typeof matterStats>>[number];

async function matterStats(from: string, to: string) {
  return ok(await api.GET('/api/supervision/stats/matters', { params: { query: { from, to } } }));
}

export const satisfaction = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/** 好差评 per matter over the period: count, satisfaction rate (5 and 4 of all), bad reviews, remediated on time. */
export function MatterRatings({ from, to, extra }: { from: string; to: string; extra: ReactNode }) {
  const stats = useQuery({
    queryKey: ['supervision', 'stats', 'matters', from, to],
    queryFn: () => matterStats(from, to),
  });
  return (
    <Card title="好差评（按事项）" extra={extra}>
      <ProblemAlert error={stats.error} />
      <Table<MatterStats>
        rowKey="matterCode"
        size="small"
        loading={stats.isLoading}
        dataSource={stats.data ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: <EmptyText>本期间没有评价</EmptyText> }}
        columns={[
          { title: '事项', render: (_, r) => `${r.matterName}（${r.matterCode}）` },
          { title: '评价数', dataIndex: 'ratings', sorter: (a, b) => a.ratings - b.ratings },
          {
            title: '满意率',
            render: (_, r) => satisfaction(r.satisfactionRate),
            sorter: (a, b) => (a.satisfactionRate ?? -1) - (b.satisfactionRate ?? -1),
          },
          { title: '差评', dataIndex: 'badReviews', sorter: (a, b) => a.badReviews - b.badReviews },
          { title: '按时整改', dataIndex: 'remediatedOnTime' },
        ]}
      />
    </Card>
  );
}
