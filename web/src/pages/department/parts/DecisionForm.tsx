import { Alert, Button, Form, Input, List, Radio, Typography } from 'antd';
import { api, ok, type CaseEvent, type CaseView } from '../../../api/client';
import { useDeptName } from '../../../api/queries';
import { EmptyText } from '../../../components/EmptyText';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { latestOpinions } from '../../../lib/application';
import { useCaseCommand } from '../../../lib/mutations';
import { outstandingDeferred } from '../../cases/parts/DeferredMaterials';

interface DecisionValues {
  decision: 'approve' | 'reject';
  reason?: string;
  legalBasis?: string;
  overruleReason?: string;
}

/**
 * 汇总决定: the merged conditions of every department shown first; approving over a standing
 * rejection needs the written overrule reason (the lead takes responsibility; supervisors are told).
 */
export function DecisionForm({ view, events }: { view: CaseView; events: readonly CaseEvent[] }) {
  const deptName = useDeptName();
  const [form] = Form.useForm<DecisionValues>();
  const decision = Form.useWatch('decision', form);
  const conditions = view.departments.flatMap((d) => d.conditions.map((c) => ({ dept: d.dept, text: c })));
  const rejecting = view.departments.filter((d) => d.verdict === 'reject');
  const opinions = latestOpinions(events);
  const deferred = outstandingDeferred(view);
  const decide = useCaseCommand(
    view.caseNo,
    async (v: DecisionValues) =>
      ok(
        await api.POST('/api/cases/{caseNo}/decision', {
          params: { path: { caseNo: view.caseNo } },
          body: {
            decision: v.decision,
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
            ...(v.legalBasis?.trim() ? { legalBasis: v.legalBasis.trim() } : {}),
            ...(v.overruleReason?.trim() ? { overruleReason: v.overruleReason.trim() } : {}),
          },
        }),
      ),
    '决定已作出',
  );
  return (
    <Form<DecisionValues>
      name="decision"
      form={form}
      layout="vertical"
      aria-label="汇总决定"
      initialValues={{ decision: rejecting.length ? 'reject' : 'approve' }}
      onFinish={(v) => decide.mutate(v)}
    >
      {deferred.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="deferred-outstanding"
          title={`容缺材料尚未补齐（${deferred.map((m) => m.name).join('、')}），补齐前不能作出批准决定`}
          description="窗口登记补交材料后即可批准；也可依法作出不予许可决定。逾期未补交的，办件将终止。"
        />
      )}
      <List
        size="small"
        bordered
        header={<strong>合并后的许可条件（批准时一并写入决定）</strong>}
        dataSource={conditions}
        locale={{ emptyText: <EmptyText>各部门均未附加条件</EmptyText> }}
        renderItem={(c) => (
          <List.Item data-testid="merged-condition">
            {deptName(c.dept)}：{c.text}
          </List.Item>
        )}
        style={{ marginBottom: 16 }}
      />
      {rejecting.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${rejecting.map((d) => deptName(d.dept)).join('、')} 的不予许可意见仍然有效`}
          description={
            <>
              {rejecting.map((d) => {
                const o = opinions.get(d.dept);
                return (
                  <div key={d.dept}>
                    {deptName(d.dept)}：{o?.reason ?? o?.comment ?? d.comment ?? '—'}
                    {o?.legalBasis && `（依据：${o.legalBasis}）`}
                  </div>
                );
              })}
              <div>如决定批准，须写明否决理由；否决由牵头部门承担责任，并报送效能监察。</div>
            </>
          }
        />
      )}
      <ProblemAlert error={decide.error} />
      <Form.Item label="决定" name="decision" rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'approve', label: '准予许可' },
            { value: 'reject', label: '不予许可' },
          ]}
        />
      </Form.Item>
      {decision === 'reject' && (
        <>
          <Form.Item
            label="不予许可理由"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item label="法律依据" name="legalBasis">
            <Input />
          </Form.Item>
          <Typography.Paragraph type="secondary">不予许可决定将报效能监察备案审查（否定报备）。</Typography.Paragraph>
        </>
      )}
      {decision === 'approve' && rejecting.length > 0 && (
        <Form.Item
          label="否决理由"
          name="overruleReason"
          rules={[{ required: true, whitespace: true, message: '批准须写明否决不予许可意见的理由' }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
      <Button type="primary" htmlType="submit" loading={decide.isPending}>
        作出决定
      </Button>
    </Form>
  );
}
