import { Alert, Button, Card, Descriptions, Form, Input, List, Radio, Tag } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { TAG_COLORS, VERIFICATION_OUTCOMES, fullTime, label } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';

interface VerificationForm {
  outcome: 'confirmed' | 'false_commitment';
  note: string;
}

/** The verifying department records its check of the commitments: confirmed, or false (revokes the approval). */
function RecordVerification({ caseNo }: { caseNo: string }) {
  const [form] = Form.useForm<VerificationForm>();
  const verify = useCaseCommand(
    caseNo,
    async (body: VerificationForm) =>
      ok(await api.POST('/api/cases/{caseNo}/verification', { params: { path: { caseNo } }, body })),
    '核查结果已登记',
  );
  const outcome = Form.useWatch('outcome', form);
  return (
    <Form<VerificationForm>
      form={form}
      name="verification"
      layout="vertical"
      aria-label="登记核查结果"
      style={{ marginTop: 12 }}
      onFinish={(v) => verify.mutate({ outcome: v.outcome, note: v.note?.trim() ?? '' })}
    >
      <ProblemAlert error={verify.error} />
      <Form.Item label="核查结果" name="outcome" rules={[{ required: true, message: '请选择核查结果' }]}>
        <Radio.Group
          options={[
            { value: 'confirmed', label: VERIFICATION_OUTCOMES.confirmed },
            { value: 'false_commitment', label: VERIFICATION_OUTCOMES.false_commitment },
          ]}
        />
      </Form.Item>
      {outcome === 'false_commitment' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="认定虚假承诺将撤销审批决定，记入信用记录，并告知申请人。"
        />
      )}
      <Form.Item label="核查说明" name="note" rules={[{ required: true, whitespace: true, message: '请填写核查说明' }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Button type="primary" htmlType="submit" danger={outcome === 'false_commitment'} loading={verify.isPending}>
        登记核查结果
      </Button>
    </Form>
  );
}

/**
 * 告知承诺制: the materials whose proof the applicant replaced with a written commitment, and the
 * verifying department's check after approval (due in verifyDays working days; late is escalated).
 */
export function Commitments({ view, dept }: { view: CaseView; dept: string | undefined }) {
  const deptName = useDeptName();
  if (view.commitments.length === 0 && !view.verification) return null;
  const v = view.verification;
  return (
    <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>告知承诺</h3>} size="small" data-testid="commitments">
      <List
        size="small"
        dataSource={view.commitments}
        renderItem={(c) => (
          <List.Item>
            {c.name}：以书面承诺代替证明（{fullTime(c.committedAt)}）
          </List.Item>
        )}
      />
      {v && (
        <Descriptions size="small" bordered column={1} style={{ marginTop: 12 }}>
          <Descriptions.Item label="核查部门">{deptName(v.dept)}</Descriptions.Item>
          <Descriptions.Item label="核查期限">
            {fullTime(v.dueAt)} {v.overdue && !v.outcome && <Tag color={TAG_COLORS.red}>已逾期 · 已升级督办</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label="核查结果">
            <span data-testid="verification-outcome">
              {v.outcome ? `${label(VERIFICATION_OUTCOMES, v.outcome)}（${fullTime(v.at)}）` : '待核查'}
            </span>
          </Descriptions.Item>
          {v.note && <Descriptions.Item label="核查说明">{v.note}</Descriptions.Item>}
        </Descriptions>
      )}
      {v && !v.outcome && dept === v.dept && <RecordVerification caseNo={view.caseNo} />}
    </Card>
  );
}
