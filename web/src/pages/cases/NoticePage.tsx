import { Button, Result, Space } from 'antd';
import { Link, useParams } from 'react-router';
import { useCase, useCaseEvents, useDeptName } from '../../api/queries';
import { useSession } from '../../auth/session';
import { NoticeSheet } from '../../components/NoticeSheet';
import { PageLoading } from '../../components/PageLoading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applicationOf } from '../../lib/application';

/** The printable notice of a case: the one-time notice before acceptance, the supplement notice during review. */
export default function NoticePage() {
  const { caseNo = '' } = useParams();
  const session = useSession();
  const deptName = useDeptName();
  const view = useCase(caseNo);
  const events = useCaseEvents(caseNo);
  if (view.isLoading || events.isLoading) return <PageLoading />;
  if (!view.data || !events.data) return <ProblemAlert error={view.error ?? events.error} />;
  const app = applicationOf(events.data);
  const supplement = view.data.supplement;
  const kind =
    view.data.status === 'awaiting_materials' ? 'materials' : supplement?.noticeIssuedAt ? 'supplement' : null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space className="no-print">
        <Link to={`/cases/${encodeURIComponent(caseNo)}`}>返回办件</Link>
        {kind && (
          <Button type="primary" onClick={() => window.print()}>
            打印
          </Button>
        )}
      </Space>
      {kind === null ? (
        <Result status="info" title="该办件当前没有需要告知的缺少材料" />
      ) : (
        <NoticeSheet
          kind={kind}
          caseNo={caseNo}
          matterName={view.data.matterName}
          applicant={app?.applicant.name ?? view.data.applicant.name}
          submittedAt={view.data.submittedAt}
          clerk={session?.claims.name}
          requests={
            kind === 'materials'
              ? [{ materials: view.data.missingMaterials }]
              : (supplement?.requests ?? []).map((r) => ({ dept: deptName(r.dept), materials: r.materials }))
          }
        />
      )}
    </Space>
  );
}
