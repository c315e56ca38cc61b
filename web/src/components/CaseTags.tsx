import { Tag } from 'antd';
import { ALERT_COLORS, ALERT_LABELS, STATUS_COLORS, STATUS_LABELS, label } from '../lib/labels';

export function StatusTag({ status }: { status: string }) {
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{label(STATUS_LABELS, status)}</Tag>;
}

/** Yellow and red marks say their meaning in words too (colour alone is not enough to read). */
export function AlertTag({ alert }: { alert: string }) {
  if (alert === 'none') return <Tag color="green">正常</Tag>;
  return (
    <Tag color={ALERT_COLORS[alert] ?? 'default'} data-alert={alert}>
      {label(ALERT_LABELS, alert)}
    </Tag>
  );
}
