import { Card, Divider, Space } from 'antd';
import { Link } from 'react-router';
import { api, ok, type CaseView } from '../../../api/client';
import { ConfirmPayment } from './ConfirmPayment';
import { ReasonAction } from './ReasonAction';
import { RegisterMaterials } from './RegisterMaterials';

const BEFORE_DECISION = ['awaiting_materials', 'in_review', 'suspended', 'deciding'];

/** What the window can do with the case in its current state. */
export function WindowActions({ view }: { view: CaseView }) {
  const caseNo = view.caseNo;
  const supplementOpen =
    view.status === 'suspended' &&
    view.supplement &&
    view.supplement.noticeIssuedAt !== null &&
    view.supplement.requests.length > 0;
  const supplementMissing = supplementOpen
    ? view
        .supplement!.requests.flatMap((r) => r.materials)
        .filter(
          (m, i, all) => !view.supplement!.received.includes(m.code) && all.findIndex((x) => x.code === m.code) === i,
        )
    : [];
  const withdrawable = BEFORE_DECISION.includes(view.status) && !view.decision;
  if (!withdrawable && view.status !== 'awaiting_payment') return null;
  return (
    <Card title="窗口办理" size="small" className="no-print" style={{ marginTop: 16 }}>
      {view.status === 'awaiting_materials' && (
        <>
          <RegisterMaterials caseNo={caseNo} missing={view.missingMaterials} kind="materials" />
          <Divider />
        </>
      )}
      {supplementOpen && (
        <>
          <RegisterMaterials caseNo={caseNo} missing={supplementMissing} kind="supplements" />
          <Divider />
        </>
      )}
      {view.status === 'awaiting_payment' && <ConfirmPayment view={view} />}
      <Space wrap>
        {(view.status === 'awaiting_materials' || supplementOpen) && (
          <Link to={`/cases/${encodeURIComponent(caseNo)}/notice`}>
            {view.status === 'awaiting_materials' ? '打印一次性告知书' : '打印补正通知书'}
          </Link>
        )}
        {view.status === 'awaiting_materials' && (
          <ReasonAction
            caseNo={caseNo}
            label="不予受理"
            done="已作出不予受理"
            danger
            run={async (reason) =>
              ok(await api.POST('/api/cases/{caseNo}/refuse', { params: { path: { caseNo } }, body: { reason } }))
            }
          />
        )}
        {withdrawable && (
          <ReasonAction
            caseNo={caseNo}
            label="撤回申请"
            done="申请已撤回"
            run={async (reason) =>
              ok(await api.POST('/api/cases/{caseNo}/withdraw', { params: { path: { caseNo } }, body: { reason } }))
            }
          />
        )}
      </Space>
    </Card>
  );
}
