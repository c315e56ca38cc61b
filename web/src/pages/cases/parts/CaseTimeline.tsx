import { Timeline, Typography } from 'antd';
import type { CaseEvent, CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { SUSPENSION_KINDS, label, shortTime } from '../../../lib/labels';
import { timeline } from '../../../lib/timeline';

/** The case clock from acceptance to now (or completion), with the suspended stretches drawn as spans. */
function ClockBar({ view }: { view: CaseView }) {
  if (!view.acceptedAt) return null;
  const start = new Date(view.acceptedAt).getTime();
  const end = view.completedAt ? new Date(view.completedAt).getTime() : Date.now();
  const span = Math.max(end - start, 1);
  const spans = view.clock.suspensions.filter((s) => s.from);
  if (spans.length === 0) return null;
  return (
    <figure style={{ margin: '0 0 16px' }} aria-label="计时中止区间">
      <div style={{ position: 'relative', height: 18, background: '#e6f0ff', borderRadius: 4 }}>
        {spans.map((s, i) => {
          const from = Math.max(new Date(s.from!).getTime(), start);
          const to = s.to ? new Date(s.to).getTime() : end;
          return (
            <div
              key={i}
              data-testid="suspension-span"
              title={`${label(SUSPENSION_KINDS, s.kind)}：${shortTime(s.from)} 至 ${s.to ? shortTime(s.to) : '今'}`}
              style={{
                position: 'absolute',
                top: 0,
                bottom: 0,
                left: `${((from - start) / span) * 100}%`,
                width: `${Math.max(((to - from) / span) * 100, 1)}%`,
                background: 'repeating-linear-gradient(45deg,#bfbfbf,#bfbfbf 4px,#d9d9d9 4px,#d9d9d9 8px)',
                borderRadius: 4,
              }}
            />
          );
        })}
      </div>
      <figcaption style={{ fontSize: 12, color: 'rgba(0,0,0,0.65)' }}>
        {shortTime(view.acceptedAt)} 受理 — {view.completedAt ? `${shortTime(view.completedAt)} 办结` : '至今'}
        ；灰色斜纹为计时中止：
        {spans
          .map((s) => `${label(SUSPENSION_KINDS, s.kind)} ${shortTime(s.from)}–${s.to ? shortTime(s.to) : '今'}`)
          .join('，')}
      </figcaption>
    </figure>
  );
}

/** Every event of the case as a sentence with who and when; suspended stretches shaded. */
export function CaseTimeline({ view, events }: { view: CaseView; events: readonly CaseEvent[] }) {
  const deptName = useDeptName();
  const entries = timeline(events, deptName);
  return (
    <section aria-label="办理过程">
      <ClockBar view={view} />
      <Timeline
        items={entries.map((e) => ({
          key: e.seq,
          color: e.tone,
          content: (
            <div
              data-testid="timeline-entry"
              style={
                e.suspended ? { background: '#f5f5f5', borderLeft: '3px solid #bfbfbf', paddingLeft: 8 } : undefined
              }
            >
              <Typography.Text strong>{shortTime(e.at)}</Typography.Text> {e.who} {e.what}
              {e.suspended && <Typography.Text type="secondary">（计时中止中）</Typography.Text>}
            </div>
          ),
        }))}
      />
    </section>
  );
}
