import { Button, DatePicker, Form, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ok, type CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { MEETING_KINDS } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';

interface MeetingValues {
  kind: 'site_inspection' | 'review_meeting';
  scheduledAt: Dayjs;
  departments: string[];
}

/** 联合踏勘 / 联审会议: the lead convenes one with the departments it invites (the clock keeps running). */
export function ConveneMeeting({ view }: { view: CaseView }) {
  const deptName = useDeptName();
  const [form] = Form.useForm<MeetingValues>();
  const convene = useCaseCommand(
    view.caseNo,
    async (v: MeetingValues) =>
      ok(
        await api.POST('/api/cases/{caseNo}/meetings', {
          params: { path: { caseNo: view.caseNo } },
          body: { kind: v.kind, scheduledAt: v.scheduledAt.toISOString(), departments: v.departments },
        }),
      ),
    '会议已召集，受邀部门已收到通知',
  );
  return (
    <Form<MeetingValues>
      form={form}
      layout="vertical"
      aria-label="召集会议"
      initialValues={{ kind: 'review_meeting', departments: view.departments.map((d) => d.dept) }}
      onFinish={(v) => convene.mutate(v, { onSuccess: () => form.resetFields() })}
    >
      <ProblemAlert error={convene.error} />
      <Form.Item label="会议类型" name="kind" rules={[{ required: true }]}>
        <Select options={Object.entries(MEETING_KINDS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item label="会议时间" name="scheduledAt" rules={[{ required: true, message: '请选择会议时间' }]}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item label="邀请部门" name="departments" rules={[{ required: true, message: '请选择邀请部门' }]}>
        <Select mode="multiple" options={view.departments.map((d) => ({ value: d.dept, label: deptName(d.dept) }))} />
      </Form.Item>
      <Button htmlType="submit" loading={convene.isPending}>
        召集会议
      </Button>
    </Form>
  );
}
