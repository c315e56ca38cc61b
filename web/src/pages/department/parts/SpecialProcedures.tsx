import { AutoComplete, Button, Form, Input, List, Space } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { fullTime } from '../../../lib/labels';
import { useCaseCommand } from '../../../lib/mutations';

const KINDS = ['听证', '专家评审', '检验检测', '鉴定', '招标拍卖'];

function EndProcedure({ caseNo, procedureId }: { caseNo: string; procedureId: string }) {
  const end = useCaseCommand(
    caseNo,
    async (v: { outcome: string }) =>
      ok(
        await api.POST('/api/cases/{caseNo}/special-procedures/{procedureId}/complete', {
          params: { path: { caseNo, procedureId } },
          body: { outcome: v.outcome.trim() },
        }),
      ),
    '特别程序已结束，计时恢复',
  );
  return (
    <Form layout="inline" aria-label="结束特别程序" onFinish={(v: { outcome: string }) => end.mutate(v)}>
      <ProblemAlert error={end.error} />
      <Form.Item label="结论" name="outcome" rules={[{ required: true, whitespace: true, message: '请填写结论' }]}>
        <Input style={{ width: 260 }} />
      </Form.Item>
      <Button htmlType="submit" loading={end.isPending}>
        结束特别程序
      </Button>
    </Form>
  );
}

/** 特别程序 (听证, 专家评审 …): started with a kind and reason, the clock stands still until it ends. */
export function SpecialProcedures({ view }: { view: CaseView }) {
  const [form] = Form.useForm<{ kind: string; reason: string }>();
  const start = useCaseCommand(
    view.caseNo,
    async (v: { kind: string; reason: string }) =>
      ok(
        await api.POST('/api/cases/{caseNo}/special-procedures', {
          params: { path: { caseNo: view.caseNo } },
          body: { kind: v.kind.trim(), reason: v.reason.trim() },
        }),
      ),
    '特别程序已启动，计时中止，已书面告知申请人',
  );
  const running = view.specialProcedures.filter((p) => !p.endedAt);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {view.specialProcedures.length > 0 && (
        <List
          size="small"
          dataSource={view.specialProcedures}
          renderItem={(p) => (
            <List.Item>
              {p.kind}（{p.reason}）：{fullTime(p.startedAt)} 起
              {p.endedAt ? `，${fullTime(p.endedAt)} 结束：${p.outcome}` : '，进行中'}
            </List.Item>
          )}
        />
      )}
      {running.map((p) => (
        <EndProcedure key={p.procedureId} caseNo={view.caseNo} procedureId={p.procedureId} />
      ))}
      {running.length === 0 && view.status === 'in_review' && (
        <Form
          form={form}
          layout="vertical"
          aria-label="启动特别程序"
          onFinish={(v) => start.mutate(v, { onSuccess: () => form.resetFields() })}
        >
          <ProblemAlert error={start.error} />
          <Form.Item
            label="程序类型"
            name="kind"
            rules={[{ required: true, whitespace: true, message: '请填写程序类型' }]}
          >
            <AutoComplete options={KINDS.map((k) => ({ value: k }))} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item
            label="启动理由"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button htmlType="submit" loading={start.isPending}>
            启动特别程序
          </Button>
        </Form>
      )}
    </Space>
  );
}
