import { Button, Card, Form, Input, List, Typography } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { MEETING_KINDS, fullTime, label } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';

type Meeting = CaseView['meetings'][number];

function MinutesForm({ caseNo, meeting }: { caseNo: string; meeting: Meeting }) {
  const deptName = useDeptName();
  const record = useCaseCommand(
    caseNo,
    async (v: Record<string, string | undefined>) =>
      ok(
        await api.POST('/api/cases/{caseNo}/meetings/{meetingId}/minutes', {
          params: { path: { caseNo, meetingId: meeting.meetingId } },
          body: {
            findings: meeting.departments.filter((d) => v[d]?.trim()).map((d) => ({ dept: d, text: v[d]!.trim() })),
          },
        }),
      ),
    '会议纪要已登记',
  );
  return (
    <Form
      layout="vertical"
      aria-label="会议纪要"
      onFinish={(v: Record<string, string | undefined>) => record.mutate(v)}
    >
      <ProblemAlert error={record.error} />
      {meeting.departments.map((d) => (
        <Form.Item key={d} label={`${deptName(d)} 意见`} name={d}>
          <Input.TextArea rows={2} />
        </Form.Item>
      ))}
      <Button htmlType="submit" loading={record.isPending}>
        登记纪要
      </Button>
    </Form>
  );
}

/** Each meeting with its minutes per department, or the form to record them. */
export function MeetingMinutes({ view }: { view: CaseView }) {
  const deptName = useDeptName();
  if (view.meetings.length === 0) return null;
  return (
    <>
      {view.meetings.map((m) => (
        <Card
          key={m.meetingId}
          size="small"
          style={{ marginBottom: 12 }}
          title={`${label(MEETING_KINDS, m.kind)} · ${fullTime(m.scheduledAt)}`}
        >
          <Typography.Paragraph>参加部门：{m.departments.map((d) => deptName(d)).join('、')}</Typography.Paragraph>
          {m.findings ? (
            <List
              size="small"
              header="会议纪要"
              dataSource={m.findings}
              renderItem={(f) => (
                <List.Item>
                  {deptName(f.dept)}：{f.text}
                </List.Item>
              )}
            />
          ) : (
            <MinutesForm caseNo={view.caseNo} meeting={m} />
          )}
        </Card>
      ))}
    </>
  );
}
