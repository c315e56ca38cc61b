import { useInfiniteQuery } from '@tanstack/react-query';
import { List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, asPage, ok } from '../../../api/client';
import { PAGE_SIZE, POLL_MS } from '../../../api/queries';
import { EmptyText } from '../../../components/EmptyText';
import { LoadMore } from '../../../components/LoadMore';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { fullTime } from '../../../lib/labels';
import { pollInterval } from '../../../live/live';

const KINDS: Record<string, { text: string; color: string }> = {
  copy: { text: '抄告', color: 'blue' },
  warning: { text: '临期预警', color: 'gold' },
  overdue: { text: '已超期', color: 'red' },
  case_warning: { text: '办件临期', color: 'gold' },
  escalation: { text: '升级督办', color: 'red' },
  urge: { text: '督办', color: 'volcano' },
  meeting: { text: '会议通知', color: 'purple' },
  overrule: { text: '意见被否决', color: 'magenta' },
  negative_filing: { text: '否定报备', color: 'magenta' },
  deemed: { text: '视为同意', color: 'default' },
};

/** The department's inbox (GET /api/inbox): copies, warnings, urges with their message, meetings. */
export function InboxList() {
  const inbox = useInfiniteQuery({
    queryKey: ['inbox'],
    queryFn: async ({ pageParam }) =>
      asPage(ok(await api.GET('/api/inbox', { params: { query: { limit: PAGE_SIZE, cursor: pageParam } } }))),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollInterval(POLL_MS),
  });
  const rows = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <ProblemAlert error={inbox.error} />
      <List
        loading={inbox.isLoading}
        dataSource={rows}
        locale={{ emptyText: <EmptyText>暂无通知</EmptyText> }}
        renderItem={(n) => {
          const kind = KINDS[n.kind] ?? { text: n.kind, color: 'default' };
          const payload = (n.payload ?? {}) as { message?: string };
          return (
            <List.Item data-testid={`inbox-${n.kind}`}>
              <List.Item.Meta
                title={
                  <span>
                    <Tag color={kind.color}>{kind.text}</Tag>
                    <Link to={`/dept/tasks/${encodeURIComponent(n.caseNo)}`}>{n.caseNo}</Link>
                  </span>
                }
                description={
                  <span>
                    {payload.message ? <Typography.Text>{payload.message} · </Typography.Text> : null}
                    {fullTime(n.createdAt)}
                  </span>
                }
              />
            </List.Item>
          );
        }}
      />
      <LoadMore pages={inbox} shown={rows.length} />
    </>
  );
}
