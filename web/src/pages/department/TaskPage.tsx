import { Card, Col, Result, Row, Space } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useCase, useCaseEvents } from '../../api/queries';
import { useSession } from '../../auth/session';
import { PageLoading } from '../../components/PageLoading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { applicationOf } from '../../lib/application';
import { TASK_STATUS_LABELS, VERDICT_LABELS, label } from '../../lib/labels';
import { CaseHeader } from '../cases/parts/CaseHeader';
import { CaseTimeline } from '../cases/parts/CaseTimeline';
import { Commitments } from '../cases/parts/Commitments';
import { DeferredMaterials } from '../cases/parts/DeferredMaterials';
import { DepartmentLanes } from '../cases/parts/DepartmentLanes';
import { StageSteps } from '../cases/parts/StageSteps';
import { ApplicationCard } from './parts/ApplicationCard';
import { LeadPanel } from './parts/LeadPanel';
import { OpinionForm } from './parts/OpinionForm';

/** The department's task: the application and materials, the other departments' progress, the opinion form. */
export default function TaskPage() {
  const { caseNo = '' } = useParams();
  const session = useSession();
  const dept = session?.claims.dept ?? '';
  const view = useCase(caseNo);
  const events = useCaseEvents(caseNo);
  // Once the form has been shown it stays while the user is at it, even if the task changes
  // underneath (deemed at its deadline): submitting then gets the API's answer in words.
  const [formShownForRound, setFormShownForRound] = useState<number | null>(null);
  if (view.isLoading || events.isLoading) return <PageLoading />;
  if (!view.data || !events.data) return <ProblemAlert error={view.error ?? events.error} />;
  const app = applicationOf(events.data);
  const mine = view.data.departments.find((d) => d.dept === dept);
  const pending = mine?.status === 'pending' && view.data.status === 'in_review';
  if (pending && formShownForRound !== mine.round) setFormShownForRound(mine.round);
  const showForm = mine && app && (pending || (formShownForRound === mine.round && mine.status === 'deemed'));
  const isLead = view.data.leadDept === dept;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <CaseHeader view={view.data} />
        <StageSteps status={view.data.status} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {app && <ApplicationCard app={app} />}
            <DeferredMaterials view={view.data} canRegister={false} />
            <Commitments view={view.data} dept={dept} />
            <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>各部门审查进度</h3>} size="small">
              <DepartmentLanes view={view.data} stacked />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>本部门审查意见</h3>} size="small">
              {!mine ? (
                <Result status="info" title="本部门不参与该办件的审查" />
              ) : showForm ? (
                <OpinionForm
                  key={mine.round}
                  caseNo={caseNo}
                  dept={dept}
                  round={mine.round}
                  app={app}
                  deemed={mine.status === 'deemed'}
                />
              ) : (
                <Result
                  status={mine.status === 'pending' ? 'info' : 'success'}
                  title={`第 ${mine.round} 轮：${label(TASK_STATUS_LABELS, mine.status)}${mine.verdict ? `（${label(VERDICT_LABELS, mine.verdict)}）` : ''}`}
                  subTitle={mine.status === 'pending' ? '办件当前不在审查中（例如中止计时等待补正）。' : undefined}
                />
              )}
            </Card>
            {isLead && <LeadPanel view={view.data} events={events.data} />}
          </Space>
        </Col>
      </Row>
      <Card title={<h3 style={{ margin: 0, fontSize: 16 }}>办理过程</h3>}>
        <CaseTimeline view={view.data} events={events.data} />
      </Card>
    </Space>
  );
}
