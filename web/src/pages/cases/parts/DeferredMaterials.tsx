import { Alert, Card, Table, Tag, Typography } from 'antd';
import type { CaseView } from '../../../api/client';
import { TAG_COLORS, fullTime } from '../../../lib/labels';
import { RegisterMaterials } from '../../window/parts/RegisterMaterials';

type Deferred = CaseView['deferredMaterials'][number];

const OPEN = ['in_review', 'suspended', 'deciding'];

/** Outstanding deferred materials: what the lead cannot approve past (deferred_materials_outstanding). */
export const outstandingDeferred = (view: CaseView) => view.deferredMaterials.filter((m) => m.suppliedAt === null);

/**
 * 容缺受理: the materials accepted as missing under the applicant's signed promise, in what form and
 * by when each must follow; the window registers them as they come. One still missing at its due
 * time terminates the case.
 */
export function DeferredMaterials({ view, canRegister }: { view: CaseView; canRegister: boolean }) {
  if (view.deferredMaterials.length === 0) return null;
  const outstanding = outstandingDeferred(view);
  return (
    <Card
      title={<h3 style={{ margin: 0, fontSize: 16 }}>容缺受理材料</h3>}
      size="small"
      data-testid="deferred-materials"
    >
      {view.promise && (
        <Typography.Paragraph>
          申请人承诺：{view.promise.text}（签署人：{view.promise.signedBy}）
        </Typography.Paragraph>
      )}
      <Table<Deferred>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={view.deferredMaterials}
        columns={[
          { title: '材料', dataIndex: 'name' },
          { title: '补交形式', dataIndex: 'form' },
          { title: '补交期限', render: (_, m) => fullTime(m.dueAt) },
          {
            title: '状态',
            render: (_, m) =>
              m.suppliedAt ? (
                <Tag color={TAG_COLORS.green}>已补交 {fullTime(m.suppliedAt)}</Tag>
              ) : (
                <Tag color={TAG_COLORS.orange}>待补交</Tag>
              ),
          },
        ]}
      />
      {outstanding.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title="容缺材料补齐前，牵头部门不能作出批准决定；逾期未补交的，办件终止。"
        />
      )}
      {canRegister && outstanding.length > 0 && OPEN.includes(view.status) && (
        <div style={{ marginTop: 12 }} className="no-print">
          <RegisterMaterials
            caseNo={view.caseNo}
            missing={outstanding.map((m) => ({ code: m.code, name: m.name }))}
            kind="deferred"
          />
        </div>
      )}
    </Card>
  );
}
