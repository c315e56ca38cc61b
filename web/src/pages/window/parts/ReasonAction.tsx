import { Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useCaseCommand } from '../../../lib/mutations';

/** A command that needs only a written reason (不予受理, 撤回), asked in a dialog. */
export function ReasonAction({
  caseNo,
  label,
  done,
  danger,
  run,
}: {
  caseNo: string;
  label: string;
  done: string;
  danger?: boolean;
  run: (reason: string) => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const command = useCaseCommand(caseNo, run, done);
  return (
    <>
      <Button danger={danger} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal
        title={label}
        open={open}
        okText="确定"
        cancelText="取消"
        confirmLoading={command.isPending}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ProblemAlert error={command.error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => command.mutate(v.reason.trim(), { onSuccess: () => setOpen(false) })}
        >
          <Form.Item label="理由" name="reason" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
