import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { useSession } from './auth/session';
import { AppLayout } from './components/AppLayout';
import { RequireAuth } from './components/RequireAuth';
import { RouteError } from './components/RouteError';

// Every screen is its own chunk: the first page loads only the shell and what it shows.
const SignInPage = lazy(() => import('./pages/SignInPage'));
const CaseListPage = lazy(() => import('./pages/cases/CaseListPage'));
const CasePage = lazy(() => import('./pages/cases/CasePage'));
const NoticePage = lazy(() => import('./pages/cases/NoticePage'));
const NewApplicationPage = lazy(() => import('./pages/window/NewApplicationPage'));
const WorkbenchPage = lazy(() => import('./pages/department/WorkbenchPage'));
const TaskPage = lazy(() => import('./pages/department/TaskPage'));

function Home() {
  const session = useSession();
  const role = session?.claims.role;
  return <Navigate to={role === 'window' ? '/window' : role === 'department' ? '/dept' : '/cases'} replace />;
}

/**
 * The console's routes. Part 2 (issue 11) adds its screens as children of the signed-in layout
 * (supervision, admin) and the applicant's /progress page beside /signin.
 */
export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage />, errorElement: <RouteError /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      { path: 'cases', element: <CaseListPage /> },
      { path: 'cases/:caseNo', element: <CasePage /> },
      { path: 'cases/:caseNo/notice', element: <NoticePage /> },
      {
        path: 'window',
        element: <RequireAuth roles={['window']} />,
        children: [
          { index: true, element: <CaseListPage /> },
          { path: 'new', element: <NewApplicationPage /> },
        ],
      },
      {
        path: 'dept',
        element: <RequireAuth roles={['department']} />,
        children: [
          { index: true, element: <WorkbenchPage /> },
          { path: 'tasks/:caseNo', element: <TaskPage /> },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
