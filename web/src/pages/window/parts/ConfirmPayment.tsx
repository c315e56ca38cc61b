import { Button, Form, Input, InputNumber, Typography } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useDeptName } from '../../../api/queries';
import { fullTime, yuan } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';

interface PaymentForm {
  paymentRef: string;
  amountYuan: number;
}

/** 统一收费: the amount of the payment notice, confirmed once with the payment system's reference. */
export function ConfirmPayment({ view }: { view: CaseView }) {
  const deptName = useDeptName();
  const caseNo = view.caseNo;
  const pay = useCaseCommand(
    caseNo,
    async (v: PaymentForm) =>
      ok(
        await api.POST('/api/cases/{caseNo}/payment', {
          params: { path: { caseNo } },
          body: { paymentRef: v.paymentRef.trim(), amountCents: Math.round(v.amountYuan * 100) },
        }),
      ),
    '缴费已确认',
  );
  return (
    <Form<PaymentForm>
      layout="vertical"
      aria-label="确认缴费"
      initialValues={{ amountYuan: view.fees.totalCents / 100 }}
      onFinish={(v) => pay.mutate(v)}
    >
      <Typography.Paragraph>
        缴费通知书合计 <strong data-testid="payment-total">{yuan(view.fees.totalCents)}</strong>
        {view.fees.dueAt && `，缴费期限 ${fullTime(view.fees.dueAt)}`}：
        {view.fees.items.map((f) => `${deptName(f.dept)} ${f.item} ${yuan(f.amountCents)}`).join('；')}
      </Typography.Paragraph>
      <ProblemAlert error={pay.error} />
      <Form.Item
        label="缴费单号"
        name="paymentRef"
        rules={[{ required: true, whitespace: true, message: '请填写缴费单号' }]}
      >
        <Input style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.Item label="实缴金额（元）" name="amountYuan" rules={[{ required: true, message: '请填写实缴金额' }]}>
        <InputNumber min={0} precision={2} style={{ width: 200 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pay.isPending}>
        确认缴费
      </Button>
    </Form>
  );
}
