import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';

type DayKind = 'normal' | 'holiday' | 'workday';
const WEEK = ['一', '二', '三', '四', '五', '六', '日'];
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
/** 0 = Monday … 6 = Sunday, of a civil date (no time zone involved). */
const weekday = (y: number, m: number, d: number) => (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;

/**
 * What a click makes of a day: a weekday is a working day or a holiday; a weekend day is a rest day,
 * a make-up working day (调休上班) or a holiday — the only arrangements the API accepts
 * (domain/calendar.ts validateCalendarYear: make-up working days fall on Saturdays and Sundays).
 */
function nextKind(kind: DayKind, weekend: boolean): DayKind {
  if (!weekend) return kind === 'holiday' ? 'normal' : 'holiday';
  return kind === 'normal' ? 'workday' : kind === 'workday' ? 'holiday' : 'normal';
}

function Month({
  year,
  month,
  kindOf,
  onToggle,
}: {
  year: number;
  month: number;
  kindOf: (date: string) => DayKind;
  onToggle: (date: string, weekend: boolean) => void;
}) {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = weekday(year, month, 1);
  const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  return (
    <Card size="small" title={`${month} 月`}>
      <div className="cal-grid" role="group" aria-label={`${year}年${month}月`}>
        {WEEK.map((w) => (
          <div key={w} className="cal-head" aria-hidden="true">
            {w}
          </div>
        ))}
        {cells.map((d, i) => {
          if (d === null) return <div key={`x${i}`} />;
          const date = iso(year, month, d);
          const weekend = weekday(year, month, d) >= 5;
          const kind = kindOf(date);
          const text = kind === 'holiday' ? '休' : kind === 'workday' ? '班' : '';
          const state =
            kind === 'holiday' ? '法定节假日' : kind === 'workday' ? '调休上班' : weekend ? '休息日' : '工作日';
          return (
            <button
              key={date}
              type="button"
              className={`cal-day cal-${kind}${weekend ? ' cal-weekend' : ''}`}
              data-date={date}
              data-kind={kind}
              onClick={() => onToggle(date, weekend)}
            >
              {d}
              {text && (
                <span className="cal-mark" aria-hidden="true">
                  {text}
                </span>
              )}
              <span className="sr-only">
                {month}月{d}日 {state}
              </span>
            </button>
          );
        })}
      </div>
    </Card>
  );
}

/**
 * Working-day calendar: a year as twelve months where holidays and make-up working days are
 * clicked on or off, published with PUT /api/calendar/:year; the years in force with their versions.
 */
export default function CalendarPage() {
  const client = useQueryClient();
  const { message } = App.useApp();
  const years = useQuery({ queryKey: ['calendar'], queryFn: async () => ok(await api.GET('/api/calendar')) });
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear + 1);
  const inForce = years.data?.find((y) => y.year === year);
  const [holidays, setHolidays] = useState<Set<string>>(new Set());
  const [workdays, setWorkdays] = useState<Set<string>>(new Set());
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    setHolidays(new Set(inForce?.holidays ?? []));
    setWorkdays(new Set(inForce?.workdays ?? []));
    setDirty(false);
  }, [inForce, year]);
  const publish = useMutation({
    mutationFn: async () =>
      ok(
        await api.PUT('/api/calendar/{year}', {
          params: { path: { year } },
          body: { holidays: [...holidays].sort(), workdays: [...workdays].sort() },
        }),
      ),
    onSuccess: async () => {
      void message.success(`${year} 年工作日历已发布`);
      setDirty(false);
      await client.invalidateQueries({ queryKey: ['calendar'] });
    },
  });
  const kindOf = (date: string): DayKind =>
    holidays.has(date) ? 'holiday' : workdays.has(date) ? 'workday' : 'normal';
  const toggle = (date: string, weekend: boolean) => {
    const next = nextKind(kindOf(date), weekend);
    const h = new Set(holidays);
    const w = new Set(workdays);
    h.delete(date);
    w.delete(date);
    if (next === 'holiday') h.add(date);
    if (next === 'workday') w.add(date);
    setHolidays(h);
    setWorkdays(w);
    setDirty(true);
  };
  const yearOptions = useMemo(() => {
    const known = new Set([...(years.data ?? []).map((y) => y.year), thisYear, thisYear + 1]);
    return [...known].sort().map((y) => ({ value: y, label: `${y} 年` }));
  }, [years.data, thisYear]);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        工作日历
      </Typography.Title>
      <Card title="生效中的年度">
        <ProblemAlert error={years.error} />
        <Table
          rowKey="year"
          size="small"
          loading={years.isLoading}
          dataSource={years.data ?? []}
          pagination={false}
          columns={[
            { title: '年度', dataIndex: 'year' },
            {
              title: '来源',
              dataIndex: 'source',
              render: (s: string) =>
                s === 'published' ? <Tag color="blue">本中心发布</Tag> : <Tag>国务院安排（内置）</Tag>,
            },
            { title: '节假日', render: (_, y) => `${y.holidays.length} 天` },
            { title: '调休上班', render: (_, y) => `${y.workdays.length} 天` },
            { title: '版本', dataIndex: 'version', render: (v: string) => <code>{v}</code> },
          ]}
        />
        {years.data?.[0] && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            整个日历的版本：<code>{years.data[0].calendar}</code>
          </Typography.Paragraph>
        )}
      </Card>
      <Card
        title={
          <Space>
            <span>编辑年度</span>
            <Select aria-label="年度" value={year} options={yearOptions} onChange={setYear} style={{ width: 120 }} />
            {inForce ? <Tag>当前版本 {inForce.version}</Tag> : <Tag>尚未发布</Tag>}
          </Space>
        }
        extra={
          <Popconfirm
            title={`发布 ${year} 年工作日历？`}
            description="发布后新的期限按此计算；办理中的办件期限随之重新计算。"
            okText="发布"
            cancelText="取消"
            onConfirm={() => publish.mutate()}
          >
            <Button type="primary" loading={publish.isPending}>
              发布 {year} 年
            </Button>
          </Popconfirm>
        }
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="点击日期切换：工作日 ⇄ 法定节假日（休）；周六日：休息 → 调休上班（班）→ 法定节假日（休）。"
          description={`已选 ${holidays.size} 天节假日、${workdays.size} 天调休上班${dirty ? '（未发布）' : ''}`}
        />
        <ProblemAlert error={publish.error} />
        <Row gutter={[12, 12]}>
          {Array.from({ length: 12 }, (_, i) => (
            <Col xs={24} sm={12} lg={8} xl={6} key={i}>
              <Month year={year} month={i + 1} kindOf={kindOf} onToggle={toggle} />
            </Col>
          ))}
        </Row>
      </Card>
    </Space>
  );
}
