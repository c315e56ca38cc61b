import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, List, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, ok } from '../../api/client';
import { STATUS_COLORS, STATUS_LABELS, fullTime, label, yuan } from '../../lib/labels';
import { StageSteps } from '../cases/parts/StageSteps';
import { ENDED, RateService } from './RateService';

/** What the applicant reads when the number and code do not match a case: the same for an unknown case and a wrong code. */
const NOT_FOUND = '未查询到办件。请核对办件编号和查询码（见受理回执）。';

function lookupMessage(err: unknown): string {
  if (err instanceof ApiError && err.status === 429) return '查询过于频繁，请 1 分钟后再试。';
  if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return NOT_FOUND;
  return '暂时无法查询，请稍后再试。';
}

/**
 * 办件进度查询: the applicant's page, no sign-in. Case number + query code (or the link form
 * /progress?case=…&code=… printed on the receipt) → the stage along the same line as the case page,
 * which departments have answered, the deadline and the result; never internal comments (the API
 * answers only what an applicant may see). Narrow screens and print are first-class.
 */
export default function ProgressPage() {
  const [params, setParams] = useSearchParams();
  const caseNo = params.get('case')?.trim() ?? '';
  const code = params.get('code')?.trim() ?? '';
  const [form] = Form.useForm<{ caseNo: string; code: string }>();
  useEffect(() => form.setFieldsValue({ caseNo, code }), [form, caseNo, code]);
  const view = useQuery({
    queryKey: ['public-case', caseNo, code],
    enabled: Boolean(caseNo && code),
    retry: false,
    // The page follows the case while it stays open (well within the look-up rate limit).
    refetchInterval: (q) => (q.state.error ? false : 30_000),
    queryFn: async () =>
      ok(await api.GET('/api/public/cases/{caseNo}', { params: { path: { caseNo }, query: { code } } })),
  });
  const v = view.data;

  return (
    <div className="progress-page">
      <header className="progress-header">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          办件进度查询
        </Typography.Title>
        <Typography.Text type="secondary">凭受理回执上的办件编号和查询码查询，无需登录</Typography.Text>
      </header>
      <main>
        <Card className="no-print" style={{ marginBottom: 16 }}>
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => {
              const next = { case: values.caseNo.trim(), code: values.code.trim() };
              // Asking again for the same case reads it anew.
              if (next.case === caseNo && next.code === code) void view.refetch();
              else setParams(next);
            }}
          >
            <Form.Item
              label="办件编号"
              name="caseNo"
              rules={[{ required: true, whitespace: true, message: '请填写办件编号' }]}
            >
              <Input autoComplete="off" inputMode="text" />
            </Form.Item>
            <Form.Item
              label="查询码"
              name="code"
              rules={[{ required: true, whitespace: true, message: '请填写查询码' }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={view.isFetching}>
              查询
            </Button>
          </Form>
        </Card>
        {view.error && <Alert role="alert" type="warning" showIcon title={lookupMessage(view.error)} />}
        {v && (
          <Card
            className="print-card"
            title={
              <Typography.Title level={2} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }}>
                {v.matterName}
              </Typography.Title>
            }
          >
            <Tag color={STATUS_COLORS[v.status]} data-testid="progress-status">
              {label(STATUS_LABELS, v.status)}
            </Tag>
            <StageSteps status={v.status} />
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label="办件编号">{v.caseNo}</Descriptions.Item>
              <Descriptions.Item label="申请时间">{fullTime(v.submittedAt)}</Descriptions.Item>
              <Descriptions.Item label="受理时间">{fullTime(v.acceptedAt)}</Descriptions.Item>
              <Descriptions.Item label="承诺办结期限">{fullTime(v.deadline)}</Descriptions.Item>
              {v.completedAt && <Descriptions.Item label="办结时间">{fullTime(v.completedAt)}</Descriptions.Item>}
              {v.decision && (
                <Descriptions.Item label="审批结果">
                  {v.decision === 'approved' ? '准予许可' : '不予许可'}
                </Descriptions.Item>
              )}
              {v.result && (
                <Descriptions.Item label="证照文号">
                  {v.result.number}（{fullTime(v.result.issuedAt)}）
                </Descriptions.Item>
              )}
              {v.payment && (
                <Descriptions.Item label="应缴费用">
                  {yuan(v.payment.totalCents)}，请于 {fullTime(v.payment.dueAt)} 前缴纳
                </Descriptions.Item>
              )}
            </Descriptions>
            {v.missingMaterials.length > 0 && (
              <Alert
                style={{ marginTop: 16 }}
                type="warning"
                title="请补齐以下材料后受理"
                description={v.missingMaterials.map((m) => m.name).join('、')}
              />
            )}
            {v.termination && (
              <Alert style={{ marginTop: 16 }} type="error" title="办件已终止" description={v.termination.reason} />
            )}
            {(v.deferredMaterials ?? []).length > 0 && (
              <List
                style={{ marginTop: 16 }}
                header={<strong>容缺受理：承诺后补的材料</strong>}
                size="small"
                bordered
                dataSource={v.deferredMaterials ?? []}
                renderItem={(m) => (
                  <List.Item>
                    <span>
                      {m.name}（{m.form}），请于 {fullTime(m.dueAt)} 前补交
                    </span>
                    {m.supplied ? <Tag color="success">已补交</Tag> : <Tag color="warning">待补交</Tag>}
                  </List.Item>
                )}
              />
            )}
            {v.supplementRequested.length > 0 && (
              <Alert
                style={{ marginTop: 16 }}
                type="warning"
                title="审查部门要求补正以下材料（补正期间暂停计时）"
                description={v.supplementRequested.map((m) => m.name).join('、')}
              />
            )}
            {v.departments.length > 0 && (
              <List
                style={{ marginTop: 16 }}
                header={<strong>各部门审查情况</strong>}
                size="small"
                bordered
                dataSource={v.departments}
                renderItem={(d) => (
                  <List.Item>
                    <span>{d.name ?? d.dept}</span>
                    {d.answered ? <Tag color="success">已出具意见</Tag> : <Tag color="processing">审查中</Tag>}
                  </List.Item>
                )}
              />
            )}
            {ENDED.includes(v.status) && (
              <div className="no-print">
                <RateService caseNo={v.caseNo} code={code} rating={v.rating} />
              </div>
            )}
          </Card>
        )}
      </main>
    </div>
  );
}
