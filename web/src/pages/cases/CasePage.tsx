import { Button, Card, Empty, Space } from 'antd';
import { Link, useParams } from 'react-router';
import { useCase, useCaseEvents } from '../../api/queries';
import { useSession } from '../../auth/session';
import { PageLoading } from '../../components/PageLoading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { WindowActions } from '../window/parts/WindowActions';
import { CaseHeader } from './parts/CaseHeader';
import { CaseTimeline } from './parts/CaseTimeline';
import { Commitments } from './parts/Commitments';
import { DeferredMaterials } from './parts/DeferredMaterials';
import { DepartmentLanes } from './parts/DepartmentLanes';
import { RatingPanel } from './parts/RatingPanel';
import { StageSteps } from './parts/StageSteps';

/** The case page every staff role sees: header, stage, lanes per department, timeline. */
export default function CasePage() {
  const { caseNo = '' } = useParams();
  const session = useSession();
  const view = useCase(caseNo);
  const events = useCaseEvents(caseNo);
  if (view.isLoading) return <PageLoading />;
  if (!view.data) return <ProblemAlert error={view.error} />;
  const role = session?.claims.role;
  const reviewing = view.data.departments.some((d) => d.dept === session?.claims.dept);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <CaseHeader view={view.data} />
        <StageSteps status={view.data.status} />
        {role === 'department' && reviewing && (
          <Link to={`/dept/tasks/${encodeURIComponent(caseNo)}`} className="no-print">
            <Button type="primary">进入审查办理</Button>
          </Link>
        )}
        {role === 'window' && <WindowActions view={view.data} />}
      </Card>
      <DeferredMaterials view={view.data} canRegister={role === 'window'} />
      <Commitments view={view.data} dept={role === 'department' ? session?.claims.dept : undefined} />
      <RatingPanel view={view.data} dept={role === 'department' ? session?.claims.dept : undefined} />
      <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>各部门审查</h3>}>
        <DepartmentLanes view={view.data} />
      </Card>
      <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>办理过程</h3>}>
        <ProblemAlert error={events.error} />
        {events.data ? <CaseTimeline view={view.data} events={events.data} /> : <Empty description="加载中" />}
      </Card>
    </Space>
  );
}
