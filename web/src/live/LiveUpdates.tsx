import { Badge, Tooltip } from 'antd';
import { useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { useLiveConnected, useLiveTopics } from './live';

/** The supervisors' own inbox (domain/notifications.ts SUPERVISORS). */
const SUPERVISORS_INBOX = 'inbox:_supervisors';

/** The topics of what this person sees: their inbox or the dashboard, and the case open on screen. */
export function topicsFor(role: string, dept: string | undefined, pathname: string): string[] {
  const topics: string[] = [];
  if (role === 'department' && dept) topics.push(`inbox:${dept}`);
  if (role === 'supervisor') topics.push('supervision', SUPERVISORS_INBOX);
  const open = /^\/(?:cases|dept\/tasks)\/([^/]+)/.exec(pathname);
  if (open?.[1]) topics.push(`case:${decodeURIComponent(open[1])}`);
  return topics;
}

/** Mounted once in the signed-in layout: keeps one stream open and says whether it is. */
export function LiveUpdates() {
  const session = useSession();
  const location = useLocation();
  const topics = session ? topicsFor(session.claims.role, session.claims.dept, location.pathname) : [];
  useLiveTopics(topics);
  const connected = useLiveConnected();
  if (!topics.length) return null;
  return (
    <Tooltip title={connected ? '页面随办件变化实时更新' : '实时连接不可用，每隔几秒自动刷新'}>
      <span data-testid="live-status" data-connected={connected} style={{ color: '#fff', whiteSpace: 'nowrap' }}>
        <Badge status={connected ? 'success' : 'default'} />
        <span style={{ marginLeft: 4 }}>{connected ? '实时' : '轮询'}</span>
      </span>
    </Tooltip>
  );
}
