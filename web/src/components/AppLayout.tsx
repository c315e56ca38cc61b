import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useDeptName } from '../api/queries';
import { sessionStore, useSession, type StaffRole } from '../auth/session';
import { ROLE_LABELS } from '../lib/labels';
import { ErrorBoundary } from './ErrorBoundary';
import { PageLoading } from './PageLoading';

const NAV: Record<StaffRole, { to: string; label: string }[]> = {
  window: [
    { to: '/window', label: '办件列表' },
    { to: '/window/new', label: '新建申请' },
  ],
  department: [{ to: '/dept', label: '部门工作台' }],
  supervisor: [{ to: '/cases', label: '办件列表' }],
  admin: [{ to: '/cases', label: '办件列表' }],
};

/** The frame of every signed-in page: who is working, what they can open, and the page itself. */
export function AppLayout() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const deptName = useDeptName();
  if (!session) return null;
  const { claims } = session;
  const items = NAV[claims.role];
  const selected = items
    .filter((i) => location.pathname === i.to || location.pathname.startsWith(`${i.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="no-print" style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Link to="/" style={{ color: '#fff', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}>
          并联审批工作台
        </Link>
        <nav aria-label="主导航" style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={selected ? [selected] : []}
            items={items.map((i) => ({ key: i.to, label: <Link to={i.to}>{i.label}</Link> }))}
          />
        </nav>
        <Space>
          <Typography.Text style={{ color: '#fff' }} data-testid="who">
            {claims.name ?? claims.sub} · {claims.dept ? `${deptName(claims.dept)} · ` : ''}
            {ROLE_LABELS[claims.role]}
          </Typography.Text>
          <Button
            size="small"
            onClick={() => {
              sessionStore.end('signed_out');
              navigate('/signin');
            }}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <ErrorBoundary key={location.pathname}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </ErrorBoundary>
        </main>
      </Layout.Content>
    </Layout>
  );
}
