import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Radio, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok, type CaseView } from '../../api/client';
import { POLL_MS, useDeptName } from '../../api/queries';
import { EmptyText } from '../../components/EmptyText';
import { ProblemAlert } from '../../components/ProblemAlert';
import { fullTime } from '../../lib/labels';
import { pollInterval } from '../../live/live';
import { pastDue } from './DashboardPage';

/** Confirm or overturn a rejection; overturning needs a note (the lead then decides again). */
function ReviewButton({ c }: { c: CaseView }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ outcome: 'confirm' | 'overturn'; note?: string }>();
  const outcome = Form.useWatch('outcome', form);
  const client = useQueryClient();
  const { message } = App.useApp();
  const review = useMutation({
    mutationFn: async (v: { outcome: 'confirm' | 'overturn'; note?: string }) =>
      ok(
        await api.POST('/api/cases/{caseNo}/negative-review', {
          params: { path: { caseNo: c.caseNo } },
          body: { outcome: v.outcome, ...(v.note?.trim() ? { note: v.note.trim() } : {}) },
        }),
      ),
    onSuccess: async (_, v) => {
      void message.success(v.outcome === 'confirm' ? '已确认不予许可' : '已推翻，退回牵头部门重新决定');
      setOpen(false);
      await client.invalidateQueries({ queryKey: ['cases'] });
      await client.invalidateQueries({ queryKey: ['case', c.caseNo] });
    },
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)} aria-label={`审查 ${c.caseNo}`}>
        审查
      </Button>
      <Modal
        title={`否定报备审查 ${c.caseNo}`}
        open={open}
        okText="提交"
        cancelText="取消"
        confirmLoading={review.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          不予许可理由：{c.decision?.reason ?? '—'}
          {c.decision?.legalBasis ? `（依据：${c.decision.legalBasis}）` : ''}
        </Typography.Paragraph>
        <ProblemAlert error={review.error} />
        <Form form={form} layout="vertical" initialValues={{ outcome: 'confirm' }} onFinish={(v) => review.mutate(v)}>
          <Form.Item label="审查结论" name="outcome">
            <Radio.Group
              options={[
                { value: 'confirm', label: '确认不予许可' },
                { value: 'overturn', label: '推翻，退回重新决定' },
              ]}
            />
          </Form.Item>
          <Form.Item
            label="审查说明"
            name="note"
            rules={[{ required: outcome === 'overturn', whitespace: true, message: '推翻须填写说明' }]}
          >
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 否定报备: rejections waiting for the supervisors' review, the soonest due first, overdue marked. */
export default function NegativeReviewPage() {
  const deptName = useDeptName();
  const list = useQuery({
    queryKey: ['cases', { status: 'negative_review' }],
    queryFn: async () =>
      ok(await api.GET('/api/cases', { params: { query: { status: 'negative_review', limit: 200 } } })),
    refetchInterval: pollInterval(POLL_MS),
  });
  const items = [...(list.data?.items ?? [])].sort((a, b) =>
    (a.negativeReview?.dueAt ?? '').localeCompare(b.negativeReview?.dueAt ?? ''),
  );
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          否定报备审查
        </Typography.Title>
      }
    >
      <ProblemAlert error={list.error} />
      <Table<CaseView>
        rowKey="caseNo"
        loading={list.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyText>没有待审查的否定报备</EmptyText> }}
        columns={[
          {
            title: '办件编号',
            dataIndex: 'caseNo',
            render: (no: string) => <Link to={`/cases/${encodeURIComponent(no)}`}>{no}</Link>,
          },
          { title: '事项', dataIndex: 'matterName' },
          { title: '申请人', render: (_, c) => c.applicant.name },
          { title: '牵头部门', render: (_, c) => deptName(c.leadDept) },
          { title: '不予许可理由', render: (_, c) => c.decision?.reason ?? '—' },
          { title: '决定时间', render: (_, c) => fullTime(c.decision?.decidedAt) },
          {
            title: '审查期限',
            render: (_, c) => (
              <span>
                {fullTime(c.negativeReview?.dueAt)}{' '}
                {c.negativeReview?.overdue ? (
                  <Tag color="red">已超期 · {pastDue(c.negativeReview.dueAt)}</Tag>
                ) : (
                  <Tag>{pastDue(c.negativeReview?.dueAt ?? null)}</Tag>
                )}
              </span>
            ),
          },
          { title: '操作', render: (_, c) => <ReviewButton c={c} /> },
        ]}
      />
    </Card>
  );
}
