import { Button, Checkbox, Form, Space } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../../api/client';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useCaseCommand } from '../../../lib/mutations';
import type { Material } from '../../../lib/application';

/**
 * Registers materials handed in later: before acceptance (补齐, against the one-time notice), a
 * deferred material (容缺) after it, or, during review, the supplement (补正) the departments asked for.
 */
const TEXTS = {
  materials: { title: '登记补齐材料', done: '材料已登记' },
  deferred: { title: '登记容缺补交材料', done: '容缺材料已登记' },
  supplements: { title: '登记补正材料', done: '补正材料已登记' },
};

export function RegisterMaterials({
  caseNo,
  missing,
  kind,
}: {
  caseNo: string;
  missing: Material[];
  kind: 'materials' | 'deferred' | 'supplements';
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const register = useCaseCommand(
    caseNo,
    async (materials: string[]) =>
      kind !== 'supplements'
        ? ok(await api.POST('/api/cases/{caseNo}/materials', { params: { path: { caseNo } }, body: { materials } }))
        : ok(await api.POST('/api/cases/{caseNo}/supplements', { params: { path: { caseNo } }, body: { materials } })),
    TEXTS[kind].done,
  );
  const title = TEXTS[kind].title;
  return (
    <Form
      name={`register-${kind}`}
      layout="vertical"
      aria-label={title}
      onFinish={() => register.mutate(chosen, { onSuccess: () => setChosen([]) })}
    >
      <ProblemAlert error={register.error} />
      <Form.Item label={`${title}（勾选申请人已交来的材料）`}>
        <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])}>
          <Space orientation="vertical">
            {missing.map((m) => (
              <Checkbox key={m.code} value={m.code}>
                {m.name}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      </Form.Item>
      <Button type="primary" htmlType="submit" disabled={chosen.length === 0} loading={register.isPending}>
        {title}
      </Button>
    </Form>
  );
}
