import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import { fullTime } from '../../lib/labels';

type Delivery = paths['/api/departments/deliveries']['get']['responses'][200]['content']['application/json'][number];
interface Editing {
  code: string;
  name: string;
  webhookUrl: string;
  isNew: boolean;
}

/** Departments: name, webhook URL, and whether deliveries to it are failing (since when, why). */
export default function DepartmentsPage() {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [form] = Form.useForm<Editing>();
  const list = useQuery({
    queryKey: ['admin', 'deliveries'],
    queryFn: async () => ok(await api.GET('/api/departments/deliveries')),
    refetchInterval: 10_000,
  });
  const save = useMutation({
    mutationFn: async (v: Editing) =>
      ok(
        await api.PUT('/api/departments/{code}', {
          params: { path: { code: v.code.trim() } },
          body: { name: v.name.trim(), ...(v.webhookUrl?.trim() ? { webhookUrl: v.webhookUrl.trim() } : {}) },
        }),
      ),
    onSuccess: async (d) => {
      void message.success(`已保存部门“${d.name}”`);
      setEditing(null);
      await client.invalidateQueries({ queryKey: ['admin'] });
      await client.invalidateQueries({ queryKey: ['departments'] });
    },
  });
  const open = (e: Editing) => {
    save.reset();
    setEditing(e);
    form.setFieldsValue(e);
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          部门管理
        </Typography.Title>
      }
      extra={
        <Button type="primary" onClick={() => open({ code: '', name: '', webhookUrl: '', isNew: true })}>
          新增部门
        </Button>
      }
    >
      <ProblemAlert error={list.error} />
      <Table<Delivery>
        rowKey="dept"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyText>还没有部门</EmptyText> }}
        columns={[
          { title: '部门编码', dataIndex: 'dept' },
          { title: '名称', dataIndex: 'name' },
          { title: '推送地址（Webhook）', dataIndex: 'webhookUrl', render: (u: string | null) => u ?? '—' },
          {
            title: '推送状态',
            render: (_, d) =>
              !d.webhookUrl ? (
                <Tag>未配置</Tag>
              ) : d.failing ? (
                <Tooltip title={d.lastError ?? ''}>
                  <Tag color="red" data-testid={`delivery-${d.dept}`}>
                    推送失败 · 自 {fullTime(d.failingSince)} 连续 {d.consecutiveFailures} 次
                  </Tag>
                </Tooltip>
              ) : (
                <Tag color="green" data-testid={`delivery-${d.dept}`}>
                  正常{d.lastSuccessAt ? ` · ${fullTime(d.lastSuccessAt)}` : ''}
                </Tag>
              ),
          },
          { title: '待送达', dataIndex: 'undelivered' },
          { title: '最近错误', dataIndex: 'lastError', render: (e: string | null) => e ?? '—' },
          {
            title: '操作',
            render: (_, d) => (
              <Button
                size="small"
                aria-label={`编辑 ${d.name}`}
                onClick={() => open({ code: d.dept, name: d.name, webhookUrl: d.webhookUrl ?? '', isNew: false })}
              >
                编辑
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title={editing?.isNew ? '新增部门' : `编辑部门 ${editing?.code ?? ''}`}
        open={editing !== null}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <ProblemAlert error={save.error} />
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate({ ...v, isNew: editing?.isNew ?? false })}>
          <Form.Item
            label="部门编码"
            name="code"
            rules={[
              { required: true, message: '请填写部门编码' },
              { pattern: /^[A-Za-z0-9_.-]{1,64}$/, message: '编码只能含字母、数字和 _ . -，至多 64 个字符' },
            ]}
          >
            <Input disabled={!editing?.isNew} />
          </Form.Item>
          <Form.Item
            label="名称"
            name="name"
            rules={[{ required: true, whitespace: true, max: 200, message: '请填写名称' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            label="推送地址（Webhook，可不填）"
            name="webhookUrl"
            rules={[{ pattern: /^https?:\/\/\S+$/, message: '须为 http:// 或 https:// 开头的地址' }]}
          >
            <Input placeholder="https://…" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
