import { Button, Card, Checkbox, Descriptions, Form, Input } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { RATING_LEVELS, fullTime } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';
import { RemediationState } from '../../department/parts/RemediationTasks';

interface RemediationForm {
  action: string;
  contactedApplicant: boolean;
  note?: string;
}

/** The responsible department records what it did about a bad review, and that it called the applicant back (回访). */
function RecordRemediation({ caseNo }: { caseNo: string }) {
  const record = useCaseCommand(
    caseNo,
    async (v: RemediationForm) =>
      ok(
        await api.POST('/api/cases/{caseNo}/remediation', {
          params: { path: { caseNo } },
          body: { action: v.action.trim(), contactedApplicant: v.contactedApplicant, note: v.note?.trim() ?? '' },
        }),
      ),
    '整改情况已登记',
  );
  return (
    <Form<RemediationForm>
      name="remediation"
      layout="vertical"
      aria-label="登记整改情况"
      initialValues={{ contactedApplicant: false }}
      style={{ marginTop: 12 }}
      onFinish={(v) => record.mutate(v)}
    >
      <ProblemAlert error={record.error} />
      <Form.Item
        label="整改措施"
        name="action"
        rules={[{ required: true, whitespace: true, message: '请填写整改措施' }]}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="contactedApplicant" valuePropName="checked">
        <Checkbox>已回访申请人</Checkbox>
      </Form.Item>
      <Form.Item label="回访情况" name="note">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={record.isPending}>
        登记整改情况
      </Button>
    </Form>
  );
}

/** 好差评: the applicant's rating and, for a bad one, the remediation (整改) the responsible department owes. */
export function RatingPanel({ view, dept }: { view: CaseView; dept: string | undefined }) {
  const deptName = useDeptName();
  if (!view.rating) return null;
  const r = view.remediation;
  return (
    <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>好差评</h3>} size="small" data-testid="rating">
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label="申请人评价">
          {view.rating.level} 星 · {RATING_LEVELS[view.rating.level] ?? ''}（{fullTime(view.rating.at)}）
        </Descriptions.Item>
        {r && (
          <>
            <Descriptions.Item label="整改部门">{deptName(r.dept)}</Descriptions.Item>
            <Descriptions.Item label="整改期限">{fullTime(r.dueAt)}</Descriptions.Item>
            <Descriptions.Item label="整改状态">
              <span data-testid="remediation-state">
                <RemediationState item={r} />
                {r.doneAt && fullTime(r.doneAt)}
              </span>
            </Descriptions.Item>
            {r.action && <Descriptions.Item label="整改措施">{r.action}</Descriptions.Item>}
            {r.doneAt && (
              <Descriptions.Item label="回访">{r.contactedApplicant ? '已回访申请人' : '未回访'}</Descriptions.Item>
            )}
          </>
        )}
      </Descriptions>
      {r && !r.doneAt && dept === r.dept && <RecordRemediation caseNo={view.caseNo} />}
    </Card>
  );
}
