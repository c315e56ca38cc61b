import { ProvisionalTag } from '../../components/ProvisionalTag';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Card, Col, InputNumber, Row, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api, asPage, ok, type SupervisedCase } from '../../api/client';
import { PAGE_SIZE, POLL_MS, useDepartments, useDeptName } from '../../api/queries';
import { AlertTag, StatusTag } from '../../components/CaseTags';
import { EmptyText } from '../../components/EmptyText';
import { LoadMore } from '../../components/LoadMore';
import { ProblemAlert } from '../../components/ProblemAlert';
import { SavedViews, type ViewFilters } from '../../components/SavedViews';
import { fullTime } from '../../lib/labels';
import { pollInterval } from '../../live/live';
import { ExtendButton, UrgeButton } from './caseActions';

type Filter = 'overdue' | 'at_risk' | 'stuck';
const FILTERS: { value: Filter | 'all'; label: string }[] = [
  { value: 'overdue', label: '红牌（超期）' },
  { value: 'at_risk', label: '黄牌（临期）' },
  { value: 'stuck', label: '停滞' },
  { value: 'all', label: '全部在办' },
];

/** "逾期 2天3小时" / "剩余 5小时": how far an instant is past (or before) now. */
export function pastDue(dueAt: string | null, now = Date.now()): string {
  if (!dueAt) return '—';
  const ms = now - Date.parse(dueAt);
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const text = hours >= 24 ? `${Math.floor(hours / 24)}天${hours % 24}小时` : `${Math.max(hours, 0)}小时`;
  return ms > 0 ? `逾期 ${text}` : `剩余 ${text}`;
}

/**
 * 效能监察 dashboard: what is stuck, where, since when. Red cards (overdue), yellow cards (at risk),
 * stuck cases (no progress for N hours, adjustable), each with its blocking departments — who,
 * since when, how far past due — counts per department, and one click to urge or extend.
 */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const filter = (params.get('filter') ?? 'overdue') as Filter | 'all';
  const stalledHours = Number(params.get('stalledHours') ?? 24);
  const dept = params.get('dept') ?? undefined;
  const deptName = useDeptName();
  const departments = useDepartments();
  const set = (next: ViewFilters) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== '') p.set(k, String(v));
    setParams(p, { replace: true });
  };
  const current = { filter: filter === 'all' ? undefined : filter, stalledHours, dept };

  const summary = useQuery({
    queryKey: ['supervision', 'summary', stalledHours],
    queryFn: async () => ok(await api.GET('/api/supervision/summary', { params: { query: { stalledHours } } })),
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(POLL_MS),
  });
  // A page at a time from the server's cursor: a dashboard of 10,000 open cases opens with one page.
  const cases = useInfiniteQuery({
    queryKey: ['supervision', 'cases', current],
    queryFn: async ({ pageParam }) =>
      asPage(
        ok(
          await api.GET('/api/supervision/cases', {
            params: { query: { filter: current.filter, stalledHours, dept, limit: PAGE_SIZE, cursor: pageParam } },
          }),
        ),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(POLL_MS),
  });
  const rows = cases.data?.pages.flatMap((p) => p.items) ?? [];
  const s = summary.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        效能监察
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {[
          { key: 'overdue', title: '红牌 · 超期', value: s?.overdue, color: '#cf1322' },
          { key: 'at_risk', title: '黄牌 · 临期', value: s?.atRisk, color: '#ad6800' },
          { key: 'stuck', title: `停滞 · 超过 ${stalledHours} 小时无进展`, value: s?.stuck, color: '#1557b0' },
          { key: 'all', title: '在办', value: s?.open, color: 'rgba(0,0,0,0.88)' },
        ].map((c) => (
          <Col xs={12} md={6} key={c.key}>
            <Card
              hoverable
              onClick={() => set({ ...current, filter: c.key === 'all' ? undefined : c.key })}
              data-testid={`card-${c.key}`}
            >
              <Statistic title={c.title} value={c.value ?? '—'} styles={{ content: { color: c.color } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented
            aria-label="筛选"
            value={filter}
            options={FILTERS}
            onChange={(v) => set({ ...current, filter: v === 'all' ? undefined : (v as string) })}
          />
          <span>
            停滞超过{' '}
            <InputNumber
              aria-label="停滞小时数"
              min={0}
              max={8760}
              value={stalledHours}
              onChange={(v) => set({ ...current, stalledHours: v ?? 24 })}
              style={{ width: 90 }}
            />{' '}
            小时
          </span>
          <Select
            aria-label="按部门筛选"
            allowClear
            placeholder="全部部门"
            style={{ width: 200 }}
            value={dept}
            onChange={(v?: string) => set({ ...current, dept: v })}
            options={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          />
          <SavedViews screen="supervision" current={current} onApply={(f) => set(f)} />
        </Space>
        <ProblemAlert error={cases.error ?? summary.error} />
        <Table<SupervisedCase>
          rowKey="caseNo"
          loading={cases.isLoading}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: <EmptyText>没有符合条件的办件</EmptyText> }}
          columns={[
            {
              title: '办件编号',
              dataIndex: 'caseNo',
              render: (no: string) => <Link to={`/cases/${encodeURIComponent(no)}`}>{no}</Link>,
            },
            { title: '状态', render: (_, c) => <StatusTag status={c.status} /> },
            { title: '预警', render: (_, c) => <AlertTag alert={c.alert} /> },
            {
              title: '办结期限',
              render: (_, c) => (
                <>
                  {fullTime(c.deadline)} {c.deadlineProvisional && <ProvisionalTag />}
                </>
              ),
            },
            { title: '剩余工作日', render: (_, c) => c.remainingWorkingDays ?? '—' },
            { title: '最近进展', render: (_, c) => fullTime(c.lastProgressAt) },
            {
              title: '卡在哪个部门',
              render: (_, c) => (
                <Space orientation="vertical" size={2} data-testid="blocking">
                  {c.blockingDepts.map((b) => (
                    <span key={b.dept}>
                      <strong>{deptName(b.dept)}</strong> 自 {fullTime(b.since)}
                      {b.overdue ? (
                        <Tag color="red" style={{ marginLeft: 6 }}>
                          {pastDue(b.dueAt)}
                        </Tag>
                      ) : (
                        <Tag style={{ marginLeft: 6 }}>{pastDue(b.dueAt)}</Tag>
                      )}
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              title: '操作',
              render: (_, c) => (
                <Space>
                  <UrgeButton caseNo={c.caseNo} depts={c.blockingDepts.map((b) => deptName(b.dept)).join('、')} />
                  <ExtendButton caseNo={c.caseNo} />
                </Space>
              ),
            },
          ]}
        />
        <LoadMore pages={cases} shown={rows.length} />
      </Card>
      <Card title={<span>各部门积压</span>}>
        <Table
          rowKey="dept"
          size="small"
          dataSource={s?.departments ?? []}
          pagination={false}
          locale={{ emptyText: <EmptyText>没有积压</EmptyText> }}
          columns={[
            { title: '部门', render: (_, d) => d.name ?? d.dept },
            { title: '在办', dataIndex: 'open' },
            { title: '超期', dataIndex: 'overdue', render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0) },
            { title: '临期', dataIndex: 'atRisk', render: (n: number) => (n ? <Tag color="gold">{n}</Tag> : 0) },
            { title: '停滞', dataIndex: 'stuck' },
            { title: '最早积压自', render: (_, d) => fullTime(d.oldestSince) },
            {
              title: '',
              render: (_, d) => (
                <Link to={`/supervision?filter=overdue&dept=${encodeURIComponent(d.dept)}`}>查看超期件</Link>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
