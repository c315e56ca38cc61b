import { MinusCircleOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, type Matter } from '../../api/client';
import { useDepartments, useDeptName, useMatters } from '../../api/queries';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import { yuan } from '../../lib/labels';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const codeRule = { pattern: CODE, message: '编码只能含字母、数字和 _ . -，至多 64 个字符' };
const days = (max: number, min = 1) => ({ type: 'integer' as const, min, max, message: `须为 ${min}–${max} 的整数` });

interface MatterForm {
  code: string;
  name: string;
  leadDept: string;
  coDepts: string[];
  requiredMaterials: { code: string; name: string }[];
  timeLimitDays: number;
  statutoryLimitDays: number;
  deptReviewDays: number;
  warnDays: number;
  silencePolicy: 'deemed_approve' | 'escalate_only';
  fees: { dept: string; item: string; maxYuan: number }[];
  paymentDays: number;
}

const toForm = (m: Matter): MatterForm => ({
  ...m,
  silencePolicy: m.silencePolicy as MatterForm['silencePolicy'],
  fees: m.fees.map((f) => ({ dept: f.dept, item: f.item, maxYuan: f.maxAmountCents / 100 })),
});
const NEW: Partial<MatterForm> = {
  coDepts: [],
  requiredMaterials: [{ code: '', name: '' }],
  timeLimitDays: 20,
  statutoryLimitDays: 45,
  deptReviewDays: 7,
  warnDays: 2,
  silencePolicy: 'deemed_approve',
  fees: [],
  paymentDays: 15,
};

/**
 * Matters: the whole definition with the API's own rules (PUT /api/matters/:code validates it all
 * again and its refusal is shown as said). Running cases keep the definition they were accepted under.
 */
export default function MattersPage() {
  const client = useQueryClient();
  const { message } = App.useApp();
  const matters = useMatters();
  const departments = useDepartments();
  const deptName = useDeptName();
  const [editing, setEditing] = useState<{ isNew: boolean } | null>(null);
  const [form] = Form.useForm<MatterForm>();
  const deptOptions = (departments.data ?? []).map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }));
  const save = useMutation({
    mutationFn: async (v: MatterForm) =>
      ok(
        await api.PUT('/api/matters/{code}', {
          params: { path: { code: v.code.trim() } },
          body: {
            name: v.name.trim(),
            leadDept: v.leadDept,
            coDepts: v.coDepts ?? [],
            requiredMaterials: (v.requiredMaterials ?? []).map((m) => ({ code: m.code.trim(), name: m.name.trim() })),
            timeLimitDays: v.timeLimitDays,
            statutoryLimitDays: v.statutoryLimitDays,
            deptReviewDays: v.deptReviewDays,
            warnDays: v.warnDays,
            silencePolicy: v.silencePolicy,
            fees: (v.fees ?? []).map((f) => ({
              dept: f.dept,
              item: f.item.trim(),
              maxAmountCents: Math.round(f.maxYuan * 100),
            })),
            paymentDays: v.paymentDays,
          },
        }),
      ),
    onSuccess: async (m) => {
      void message.success(`已保存事项“${m.name}”，新受理的办件按新定义办理`);
      setEditing(null);
      await client.invalidateQueries({ queryKey: ['matters'] });
    },
  });
  const open = (m?: Matter) => {
    save.reset();
    form.resetFields();
    form.setFieldsValue(m ? toForm(m) : (NEW as MatterForm));
    setEditing({ isNew: !m });
  };

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          事项管理
        </Typography.Title>
      }
      extra={
        <Button type="primary" onClick={() => open()}>
          新增事项
        </Button>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="修改事项只对此后受理的办件生效：办理中的办件沿用受理时的事项定义（快照），期限和收费标准不变。"
      />
      <ProblemAlert error={matters.error} />
      <Table<Matter>
        rowKey="code"
        loading={matters.isLoading}
        dataSource={matters.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyText>还没有事项</EmptyText> }}
        columns={[
          { title: '编码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '牵头部门', render: (_, m) => deptName(m.leadDept) },
          { title: '协办部门', render: (_, m) => m.coDepts.map(deptName).join('、') || '—' },
          { title: '承诺时限', render: (_, m) => `${m.timeLimitDays} 个工作日` },
          { title: '法定时限', render: (_, m) => `${m.statutoryLimitDays} 个工作日` },
          { title: '部门审查', render: (_, m) => `${m.deptReviewDays} 个工作日` },
          {
            title: '收费',
            render: (_, m) => m.fees.map((f) => `${f.item} ≤ ${yuan(f.maxAmountCents)}`).join('；') || '不收费',
          },
          {
            title: '操作',
            render: (_, m) => (
              <Button size="small" aria-label={`编辑 ${m.name}`} onClick={() => open(m)}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      <Modal
        title={editing?.isNew ? '新增事项' : '编辑事项'}
        open={editing !== null}
        width={820}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <ProblemAlert error={save.error} />
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Space wrap align="start">
            <Form.Item label="事项编码" name="code" rules={[{ required: true, message: '请填写编码' }, codeRule]}>
              <Input disabled={!editing?.isNew} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item
              label="事项名称"
              name="name"
              rules={[{ required: true, whitespace: true, max: 200, message: '请填写名称' }]}
            >
              <Input style={{ width: 360 }} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item label="牵头部门" name="leadDept" rules={[{ required: true, message: '请选择牵头部门' }]}>
              <Select options={deptOptions} style={{ width: 260 }} showSearch optionFilterProp="label" />
            </Form.Item>
            <Form.Item
              label="协办部门"
              name="coDepts"
              rules={[{ type: 'array', max: 50, message: '至多 50 个协办部门' }]}
            >
              <Select mode="multiple" options={deptOptions} style={{ width: 420 }} optionFilterProp="label" />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item
              label="承诺时限（工作日）"
              name="timeLimitDays"
              rules={[{ required: true, message: '请填写' }, days(365)]}
            >
              <InputNumber precision={0} />
            </Form.Item>
            <Form.Item
              label="法定时限（工作日）"
              name="statutoryLimitDays"
              rules={[{ required: true, message: '请填写' }, days(365)]}
            >
              <InputNumber precision={0} />
            </Form.Item>
            <Form.Item
              label="部门审查时限（工作日）"
              name="deptReviewDays"
              rules={[{ required: true, message: '请填写' }, days(365)]}
            >
              <InputNumber precision={0} />
            </Form.Item>
            <Form.Item
              label="提前预警（工作日）"
              name="warnDays"
              rules={[{ required: true, message: '请填写' }, days(365, 0)]}
            >
              <InputNumber precision={0} />
            </Form.Item>
            <Form.Item
              label="缴费期限（工作日）"
              name="paymentDays"
              rules={[{ required: true, message: '请填写' }, days(365)]}
            >
              <InputNumber precision={0} />
            </Form.Item>
          </Space>
          <Form.Item label="部门逾期未出具意见" name="silencePolicy" rules={[{ required: true }]}>
            <Select
              style={{ width: 360 }}
              options={[
                { value: 'deemed_approve', label: '视为同意（默许）' },
                { value: 'escalate_only', label: '不视为同意，只督办升级' },
              ]}
            />
          </Form.Item>
          <Typography.Text strong>申请材料</Typography.Text>
          <Form.List name="requiredMaterials">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      name={[f.name, 'code']}
                      rules={[
                        { required: true, message: '编码' },
                        codeRule,
                        ({ getFieldValue }) => ({
                          validator: (_, v: string) =>
                            (getFieldValue('requiredMaterials') as { code?: string }[]).filter((m) => m?.code === v)
                              .length > 1
                              ? Promise.reject(new Error('材料编码重复'))
                              : Promise.resolve(),
                        }),
                      ]}
                    >
                      <Input placeholder="材料编码" aria-label="材料编码" style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'name']}
                      rules={[{ required: true, whitespace: true, max: 200, message: '名称' }]}
                    >
                      <Input placeholder="材料名称" aria-label="材料名称" style={{ width: 360 }} />
                    </Form.Item>
                    <Button
                      type="text"
                      aria-label="删除此材料"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                ))}
                <Button
                  onClick={() => add({ code: '', name: '' })}
                  disabled={fields.length >= 200}
                  style={{ marginBottom: 16 }}
                >
                  添加材料
                </Button>
              </>
            )}
          </Form.List>
          <div>
            <Typography.Text strong>收费项目（最高限额）</Typography.Text>
          </div>
          <Form.List name="fees">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }}>
                    <Form.Item
                      name={[f.name, 'dept']}
                      rules={[
                        { required: true, message: '收费部门' },
                        ({ getFieldValue }) => ({
                          validator: (_, v: string) =>
                            !v || [getFieldValue('leadDept'), ...(getFieldValue('coDepts') ?? [])].includes(v)
                              ? Promise.resolve()
                              : Promise.reject(new Error('收费部门须是本事项的审查部门')),
                        }),
                      ]}
                    >
                      <Select
                        placeholder="收费部门"
                        aria-label="收费部门"
                        options={deptOptions}
                        style={{ width: 220 }}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'item']}
                      rules={[{ required: true, whitespace: true, max: 200, message: '项目' }]}
                    >
                      <Input placeholder="收费项目" aria-label="收费项目" style={{ width: 240 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'maxYuan']}
                      rules={[{ required: true, type: 'number', min: 0, max: 1_000_000_000, message: '限额' }]}
                    >
                      <InputNumber
                        placeholder="限额（元）"
                        aria-label="最高限额（元）"
                        min={0}
                        precision={2}
                        addonAfter="元"
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      aria-label="删除此收费项目"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                ))}
                <Button onClick={() => add({ item: '' })} disabled={fields.length >= 200}>
                  添加收费项目
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </Card>
  );
}
