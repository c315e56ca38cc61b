import { Steps } from 'antd';

const STAGES = ['受理', '抄告', '同步审批', '汇总决定', '收费', '办结'];

/** Where the case stands along 受理 → 抄告 → 同步审批 → 汇总决定 → 收费 → 办结. */
function stageOf(status: string): { current: number; state: 'process' | 'finish' | 'error' | 'wait' } {
  switch (status) {
    case 'awaiting_materials':
      return { current: 0, state: 'process' };
    case 'refused':
      return { current: 0, state: 'error' };
    case 'in_review':
    case 'suspended':
      return { current: 2, state: 'process' };
    case 'deciding':
    case 'negative_review':
      return { current: 3, state: 'process' };
    case 'rejected':
      return { current: 3, state: 'error' };
    case 'awaiting_payment':
      return { current: 4, state: 'process' };
    case 'completed':
      return { current: 5, state: 'finish' };
    default:
      return { current: 2, state: 'error' };
  }
}

export function StageSteps({ status }: { status: string }) {
  const { current, state } = stageOf(status);
  return (
    <nav aria-label="办理环节">
      <Steps
        size="small"
        current={current}
        status={state}
        items={STAGES.map((title, i) => ({
          title,
          ...(i === current ? { 'aria-current': 'step' as const } : {}),
        }))}
        style={{ margin: '20px 0' }}
      />
    </nav>
  );
}
