import { Alert, Button, Checkbox, Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { api, ok } from '../../../api/client';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { Application } from '../../../lib/application';
import { yuan } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';
import { useFormDraft } from '../../../lib/drafts';

type Verdict = 'approve' | 'approve_with_conditions' | 'reject' | 'request_supplement';

interface OpinionValues {
  verdict: Verdict;
  comment?: string;
  conditions?: string;
  reason?: string;
  legalBasis?: string;
  materials?: string[];
  otherMaterials?: string;
  fees?: Record<string, number | null | undefined>;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The department's opinion for its round: verdict, conditions, reason and legal basis for a
 * rejection, the materials to supplement, and fees chosen from its published items. The maximum
 * of each item is shown and an amount above it is flagged here; the API is where the rule lives
 * (422 fee_above_standard), and its refusal is shown in words.
 */
export function OpinionForm({
  caseNo,
  dept,
  round,
  app,
  deemed,
}: {
  caseNo: string;
  dept: string;
  round: number;
  app: Application;
  deemed: boolean;
}) {
  const [form] = Form.useForm<OpinionValues>();
  const draft = useFormDraft(form, `opinion.${caseNo}.${dept}.${round}`);
  const verdict = Form.useWatch('verdict', form);
  const feeItems = app.fees.filter((f) => f.dept === dept);
  const give = useCaseCommand(
    caseNo,
    async (v: OpinionValues) => {
      const requested = [
        ...app.requiredMaterials.filter((m) => v.materials?.includes(m.code)),
        ...lines(v.otherMaterials).map((name, i) => ({ code: `extra-${round}-${i + 1}`, name })),
      ];
      const fees = feeItems
        .filter((f) => typeof v.fees?.[f.item] === 'number')
        .map((f) => ({ item: f.item, amountCents: Math.round((v.fees![f.item] as number) * 100) }));
      return ok(
        await api.POST('/api/cases/{caseNo}/opinions', {
          params: { path: { caseNo } },
          body: {
            verdict: v.verdict,
            ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
            ...(v.verdict === 'approve_with_conditions' ? { conditions: lines(v.conditions) } : {}),
            ...(v.verdict === 'reject'
              ? { reason: v.reason?.trim() ?? '', ...(v.legalBasis?.trim() ? { legalBasis: v.legalBasis.trim() } : {}) }
              : {}),
            ...(v.verdict === 'request_supplement' ? { materials: requested } : {}),
            ...(fees.length && (v.verdict === 'approve' || v.verdict === 'approve_with_conditions') ? { fees } : {}),
          },
        }),
      );
    },
    '审查意见已提交',
  );
  const approving = verdict === 'approve' || verdict === 'approve_with_conditions';
  return (
    <Form<OpinionValues>
      name="opinion"
      form={form}
      layout="vertical"
      aria-label="审查意见"
      initialValues={{ verdict: 'approve' }}
      onValuesChange={draft.keep}
      onFinish={(v) => give.mutate(v, { onSuccess: draft.drop })}
    >
      {deemed && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="本部门审查期限已过，系统已按“视为同意”记录；如仍提交，将以系统答复为准。"
        />
      )}
      <ProblemAlert error={give.error} />
      <Form.Item label={`审查意见（第 ${round} 轮）`} name="verdict" rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'approve', label: '同意' },
            { value: 'approve_with_conditions', label: '附条件同意' },
            { value: 'reject', label: '不予许可' },
            { value: 'request_supplement', label: '要求补正' },
          ]}
        />
      </Form.Item>
      {verdict === 'approve_with_conditions' && (
        <Form.Item
          label="许可条件（每行一条）"
          name="conditions"
          rules={[{ required: true, whitespace: true, message: '请至少填写一项条件' }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
      {verdict === 'reject' && (
        <>
          <Form.Item
            label="不予许可理由"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item
            label="法律依据"
            name="legalBasis"
            rules={[{ required: true, whitespace: true, message: '请填写法律依据' }]}
          >
            <Input placeholder="如：《中华人民共和国消防法》第十一条" />
          </Form.Item>
        </>
      )}
      {verdict === 'request_supplement' && (
        <>
          <Form.Item label="需补正的材料" name="materials">
            <Checkbox.Group>
              <Space orientation="vertical">
                {app.requiredMaterials.map((m) => (
                  <Checkbox key={m.code} value={m.code}>
                    {m.name}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item label="其他需补正的材料（每行一项）" name="otherMaterials">
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      )}
      {approving && feeItems.length > 0 && (
        <fieldset style={{ border: 'none', padding: 0, margin: '0 0 16px' }}>
          <legend style={{ fontSize: 14, marginBottom: 8 }}>收费（仅限本部门公示的收费项目，不得超过最高限额）</legend>
          {feeItems.map((f) => (
            <Form.Item
              key={f.item}
              label={`${f.item}（元，最高 ${yuan(f.maxAmountCents)}）`}
              name={['fees', f.item]}
              validateTrigger="onChange"
              rules={[
                {
                  warningOnly: true,
                  validator: async (_, value: number | null | undefined) => {
                    if (typeof value === 'number' && Math.round(value * 100) > f.maxAmountCents)
                      throw new Error(`超出公示标准：最高 ${yuan(f.maxAmountCents)}`);
                  },
                },
              ]}
            >
              <InputNumber min={0} precision={2} style={{ width: 200 }} placeholder="不收取则留空" />
            </Form.Item>
          ))}
        </fieldset>
      )}
      <Form.Item label="审查说明" name="comment">
        <Input.TextArea rows={2} />
      </Form.Item>
      <Typography.Paragraph type="secondary">提交后本轮意见不可修改。</Typography.Paragraph>
      <Button type="primary" htmlType="submit" loading={give.isPending}>
        提交审查意见
      </Button>
    </Form>
  );
}
