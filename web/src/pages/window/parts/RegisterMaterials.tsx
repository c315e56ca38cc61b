import { Button, Checkbox, Form, Space } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../../api/client';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useCaseCommand } from '../../../lib/mutations';
import type { Material } from '../../../lib/application';

/**
 * Registers materials handed in later: before acceptance (补齐, against the one-time notice) or,
 * during review, the supplement (补正) the departments asked for.
 */
export function RegisterMaterials({
  caseNo,
  missing,
  kind,
}: {
  caseNo: string;
  missing: Material[];
  kind: 'materials' | 'supplements';
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const register = useCaseCommand(
    caseNo,
    async (materials: string[]) =>
      kind === 'materials'
        ? ok(await api.POST('/api/cases/{caseNo}/materials', { params: { path: { caseNo } }, body: { materials } }))
        : ok(await api.POST('/api/cases/{caseNo}/supplements', { params: { path: { caseNo } }, body: { materials } })),
    kind === 'materials' ? '材料已登记' : '补正材料已登记',
  );
  const title = kind === 'materials' ? '登记补齐材料' : '登记补正材料';
  return (
    <Form
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
