import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, errorMessage, ok } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';

/** 《行政许可法》第四十二条: extensions of a case add up to 15 working days at most. */
export const EXTENSION_CAP_DAYS = 15;

function useSupervisionCommand<V>(run: (v: V) => Promise<unknown>, done: string, close: () => void) {
  const client = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      void message.success(done);
      close();
      await client.invalidateQueries({ queryKey: ['supervision'] });
      await client.invalidateQueries({ queryKey: ['case'] });
      await client.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

/** 督办: one click opens the message to the departments holding the case up. */
export function UrgeButton({ caseNo, depts }: { caseNo: string; depts: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ message: string }>();
  const urge = useSupervisionCommand(
    async (v: { message: string }) =>
      ok(await api.POST('/api/cases/{caseNo}/urge', { params: { path: { caseNo } }, body: v })),
    '已督办',
    () => setOpen(false),
  );
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`督办 ${caseNo}`}>
        督办
      </Button>
      <Modal
        title={`督办 ${caseNo}`}
        open={open}
        okText="发送督办"
        cancelText="取消"
        confirmLoading={urge.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>督办通知将发送给：{depts || '承办部门'}</Typography.Paragraph>
        <ProblemAlert error={urge.error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => urge.mutate(v)}
          initialValues={{ message: '请加快办理，按期出具意见。' }}
        >
          <Form.Item
            label="督办意见"
            name="message"
            rules={[{ required: true, whitespace: true, message: '请填写督办意见' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 延期: working days and a reason, with what is left of the 15-day cap said before asking. */
export function ExtendButton({ caseNo }: { caseNo: string }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ workingDays: number; reason: string }>();
  const view = useQuery({
    queryKey: ['case', caseNo],
    enabled: open,
    queryFn: async () => ok(await api.GET('/api/cases/{caseNo}', { params: { path: { caseNo } } })),
  });
  const used = view.data?.clock.extensionDays ?? 0;
  const left = Math.max(0, EXTENSION_CAP_DAYS - used);
  const extend = useSupervisionCommand(
    async (v: { workingDays: number; reason: string }) =>
      ok(await api.POST('/api/cases/{caseNo}/extension', { params: { path: { caseNo } }, body: v })),
    '已延期，办结期限已顺延',
    () => setOpen(false),
  );
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`延期 ${caseNo}`}>
        延期
      </Button>
      <Modal
        title={`延期 ${caseNo}`}
        open={open}
        okText="批准延期"
        cancelText="取消"
        confirmLoading={extend.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Alert
          type={left === 0 ? 'warning' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={`依《行政许可法》第四十二条，延期累计不得超过 ${EXTENSION_CAP_DAYS} 个工作日。`}
          description={
            view.data ? `本件已延期 ${used} 个工作日，还可延期 ${left} 个工作日。` : '正在读取本件已延期的天数…'
          }
        />
        {extend.error ? (
          <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={errorMessage(extend.error)} />
        ) : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => extend.mutate(v)}
          initialValues={{ workingDays: Math.min(5, left || 5) }}
        >
          <Space align="start">
            <Form.Item label="延期工作日" name="workingDays" rules={[{ required: true, message: '请填写天数' }]}>
              <InputNumber min={1} max={365} precision={0} />
            </Form.Item>
          </Space>
          <Form.Item
            label="延期理由"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写延期理由' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
