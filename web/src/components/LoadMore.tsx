import { Button } from 'antd';

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** Under a server-paged list: how many rows are shown, and the next page on request. */
export function LoadMore({ pages, shown }: { pages: Pages; shown: number }) {
  if (!pages.hasNextPage) return shown > 0 ? <div className="list-end">共 {shown} 条</div> : null;
  return (
    <div className="list-more">
      <span>已显示 {shown} 条</span>
      <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
        加载更多
      </Button>
    </div>
  );
}
