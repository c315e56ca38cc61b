import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { api, errorMessage, ok } from '../../api/client';
import { useDeptName } from '../../api/queries';
import type { paths } from '../../api/schema';
import { sessionStore } from '../../auth/session';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Chart } from './charts';
import { MatterRatings, satisfaction } from './MatterRatings';

type DeptStats = paths['/api/supervision/stats']['get']['responses'][200]['content']['application/json'][number];
const DATE = 'YYYY-MM-DD';
const rate = (r: { onTime: number; given: number }) => (r.given ? r.onTime / r.given : null);
const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);

/** The CSV as the API writes it (UTF-8 with BOM), saved through the browser with the bearer token. */
async function downloadCsv(from: string, to: string, what: 'departments' | 'matters' = 'departments'): Promise<void> {
  const token = sessionStore.get()?.token;
  const path = what === 'matters' ? '/api/supervision/stats/matters.csv' : '/api/supervision/stats.csv';
  const res = await fetch(`${path}?from=${from}&to=${to}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) ok({ error: await res.json().catch(() => ({})), response: res });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${what === 'matters' ? '好差评' : '效能考核'}-${from}_${to}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * 效能考核: per department and period — received, given, on time, late, late working days, deemed,
 * urged, median and p90 days, 好差评 (ratings, satisfaction, bad reviews, remediated on time), score
 * — as a sortable table and charts, with a weekly trend; CSV.
 */
export default function StatsPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const today = dayjs();
  const from = params.get('from') ?? today.startOf('month').format(DATE);
  const to = params.get('to') ?? today.format(DATE);
  const deptName = useDeptName();
  const stats = useQuery({
    queryKey: ['supervision', 'stats', from, to],
    queryFn: async () => ok(await api.GET('/api/supervision/stats', { params: { query: { from, to } } })),
  });
  const trend = useQuery({
    queryKey: ['supervision', 'trend', from, to],
    queryFn: async () => ok(await api.GET('/api/supervision/trend', { params: { query: { from, to } } })),
  });
  const rows = (stats.data ?? []).filter((r) => !r.dept.startsWith('_'));
  const weeks = [...new Set((trend.data ?? []).map((w) => w.weekStart))].sort();
  const trendDepts = [...new Set((trend.data ?? []).map((w) => w.dept))].sort();

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
          效能考核
        </Typography.Title>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label="统计期间"
            allowClear={false}
            value={[dayjs(from), dayjs(to)]}
            onChange={(v) => {
              const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
              if (a && b) setParams({ from: a.format(DATE), to: b.format(DATE) }, { replace: true });
            }}
            presets={[
              { label: '本月', value: [today.startOf('month'), today] },
              {
                label: '上月',
                value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')],
              },
              { label: '本年', value: [today.startOf('year'), today] },
            ]}
          />
          <Button onClick={() => downloadCsv(from, to).catch((err: unknown) => void message.error(errorMessage(err)))}>
            导出 CSV（Excel）
          </Button>
        </Space>
      </Space>
      <ProblemAlert error={stats.error ?? trend.error} />
      <Card>
        <Table<DeptStats>
          rowKey="dept"
          size="small"
          loading={stats.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: <EmptyText>本期间没有收件</EmptyText> }}
          columns={[
            {
              title: '部门',
              dataIndex: 'dept',
              render: (d: string) => deptName(d),
              sorter: (a, b) => a.dept.localeCompare(b.dept),
            },
            { title: '收件', dataIndex: 'received', sorter: (a, b) => a.received - b.received },
            { title: '已办', dataIndex: 'given', sorter: (a, b) => a.given - b.given },
            { title: '按时', dataIndex: 'onTime', sorter: (a, b) => a.onTime - b.onTime },
            { title: '超时', dataIndex: 'late', sorter: (a, b) => a.late - b.late },
            {
              title: '超时工作日',
              dataIndex: 'lateWorkingDays',
              sorter: (a, b) => a.lateWorkingDays - b.lateWorkingDays,
            },
            { title: '视同同意', dataIndex: 'deemed', sorter: (a, b) => a.deemed - b.deemed },
            { title: '被督办', dataIndex: 'urged', sorter: (a, b) => a.urged - b.urged },
            {
              title: '按时率',
              render: (_, r) => percent(rate(r)),
              sorter: (a, b) => (rate(a) ?? -1) - (rate(b) ?? -1),
            },
            {
              title: '用时中位数',
              dataIndex: 'medianDays',
              render: (v: number | null) => v ?? '—',
              sorter: (a, b) => (a.medianDays ?? -1) - (b.medianDays ?? -1),
            },
            {
              title: '用时P90',
              dataIndex: 'p90Days',
              render: (v: number | null) => v ?? '—',
              sorter: (a, b) => (a.p90Days ?? -1) - (b.p90Days ?? -1),
            },
            { title: '评价数', dataIndex: 'ratings', sorter: (a, b) => a.ratings - b.ratings },
            {
              title: '满意率',
              render: (_, r) => satisfaction(r.satisfactionRate),
              sorter: (a, b) => (a.satisfactionRate ?? -1) - (b.satisfactionRate ?? -1),
            },
            { title: '差评', dataIndex: 'badReviews', sorter: (a, b) => a.badReviews - b.badReviews },
            { title: '按时整改', dataIndex: 'remediatedOnTime' },
            { title: '得分', dataIndex: 'score', sorter: (a, b) => a.score - b.score, defaultSortOrder: 'ascend' },
          ]}
        />
      </Card>
      <MatterRatings
        from={from}
        to={to}
        extra={
          <Button
            onClick={() =>
              downloadCsv(from, to, 'matters').catch((err: unknown) => void message.error(errorMessage(err)))
            }
          >
            导出好差评 CSV
          </Button>
        }
      />
      <Card title="各部门按时率与得分">
        <Chart
          label="各部门按时率与得分柱状图"
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: ['按时率（%）', '得分'] },
            xAxis: { type: 'category', data: rows.map((r) => deptName(r.dept)) },
            yAxis: [
              { type: 'value', name: '按时率（%）', max: 100 },
              { type: 'value', name: '得分', max: 10 },
            ],
            series: [
              { name: '按时率（%）', type: 'bar', data: rows.map((r) => Math.round((rate(r) ?? 0) * 1000) / 10) },
              { name: '得分', type: 'bar', yAxisIndex: 1, data: rows.map((r) => r.score) },
            ],
          }}
        />
      </Card>
      <Card title="按周趋势（按时率）">
        <Chart
          label="各部门按周按时率折线图"
          option={{
            tooltip: { trigger: 'axis' },
            legend: { data: trendDepts.map((d) => deptName(d)) },
            xAxis: { type: 'category', data: weeks.map((w) => `${w} 周`) },
            yAxis: { type: 'value', name: '按时率（%）', max: 100 },
            series: trendDepts.map((d) => ({
              name: deptName(d),
              type: 'line',
              data: weeks.map((w) => {
                const row = trend.data?.find((x) => x.dept === d && x.weekStart === w);
                return row?.onTimeRate === null || row === undefined ? null : Math.round(row.onTimeRate * 1000) / 10;
              }),
            })),
          }}
        />
      </Card>
    </Space>
  );
}
