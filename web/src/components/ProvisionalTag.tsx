import { Tag, Tooltip } from 'antd';
import { TAG_COLORS } from '../lib/labels';

/**
 * A deadline counting days of a year whose holidays are not yet published: counted with weekends
 * only until then, and recomputed when the administrator publishes the year.
 */
export function ProvisionalTag() {
  return (
    <Tooltip title="期限跨入尚未公布节假日安排的年度，暂按周末计算；公布后自动重算">
      <Tag color={TAG_COLORS.gold} data-testid="deadline-provisional" tabIndex={0}>
        期限暂定
      </Tag>
    </Tooltip>
  );
}
