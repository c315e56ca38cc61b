import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Radio, Typography } from 'antd';
import { api, ApiError, ok } from '../../api/client';
import { RATING_LEVELS } from '../../lib/labels';

/** The statuses in which a case has ended and may be rated (domain/status.ts TERMINAL_STATUSES). */
export const ENDED = ['completed', 'rejected', 'refused', 'withdrawn', 'terminated', 'revoked'];

interface RatingForm {
  level: number;
  comment?: string;
}

function rateMessage(err: unknown): string {
  if (err instanceof ApiError && err.code === 'already_rated') return '您已评价过该办件，感谢您的反馈。';
  if (err instanceof ApiError && err.status === 429) return '操作过于频繁，请 1 分钟后再试。';
  return err instanceof ApiError ? err.message : '暂时无法提交评价，请稍后再试。';
}

/**
 * 好差评 (国办发〔2019〕51号): once the case has ended the applicant rates the service once, five
 * levels; a 2 or 1 is followed up by the responsible department (整改, 回访).
 */
export function RateService({
  caseNo,
  code,
  rating,
}: {
  caseNo: string;
  code: string;
  rating: { level: number; at: string } | null | undefined;
}) {
  const queryClient = useQueryClient();
  const rate = useMutation({
    mutationFn: async (v: RatingForm) =>
      ok(
        await api.POST('/api/public/cases/{caseNo}/rating', {
          params: { path: { caseNo }, query: { code } },
          body: { level: v.level, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['public-case', caseNo] }),
  });
  const done = rate.data ?? rating;
  if (done)
    return (
      <Alert
        style={{ marginTop: 16 }}
        type="success"
        data-testid="rated"
        title={`您的评价：${done.level} 星 · ${RATING_LEVELS[done.level] ?? ''}`}
        description={rate.data?.remediation ? '我们已安排责任部门整改，并将回访您。感谢您的反馈。' : '感谢您的反馈。'}
      />
    );
  return (
    <Form<RatingForm>
      name="rating"
      layout="vertical"
      aria-label="评价本次服务"
      style={{ marginTop: 16 }}
      onFinish={(v) => rate.mutate(v)}
    >
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        评价本次服务（好差评）
      </Typography.Title>
      {rate.error && <Alert role="alert" type="warning" showIcon title={rateMessage(rate.error)} />}
      <Form.Item label="满意程度" name="level" rules={[{ required: true, message: '请选择满意程度' }]}>
        <Radio.Group options={[5, 4, 3, 2, 1].map((l) => ({ value: l, label: `${l} 星 · ${RATING_LEVELS[l]}` }))} />
      </Form.Item>
      <Form.Item label="意见建议（选填）" name="comment">
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={rate.isPending}>
        提交评价
      </Button>
    </Form>
  );
}
