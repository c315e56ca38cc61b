import { useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isExpired, sessionStore, useSession, type StaffRole } from '../auth/session';

/**
 * Pages behind sign-in. Without a session — never signed in, signed out, or the token expired
 * (seen by its `exp` or by the API's 401) — the user goes to sign-in, which brings them back here.
 */
export function RequireAuth({ children, roles }: { children?: ReactNode; roles?: StaffRole[] }) {
  const session = useSession();
  const location = useLocation();

  useEffect(() => {
    const exp = session?.claims.exp;
    if (exp === undefined) return;
    const check = () => {
      if (session && isExpired(session.claims)) sessionStore.end('expired');
    };
    check();
    const timer = setInterval(check, 5000);
    return () => clearInterval(timer);
  }, [session]);

  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !roles.includes(session.claims.role)) return <Navigate to="/" replace />;
  return children ?? <Outlet />;
}
