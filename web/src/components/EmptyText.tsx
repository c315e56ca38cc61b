/** "Nothing here" in a readable colour (Ant's default empty text is too pale for WCAG AA). */
export function EmptyText({ children = '暂无数据' }: { children?: string }) {
  return <div style={{ color: 'rgba(0, 0, 0, 0.65)', padding: '16px 0', textAlign: 'center' }}>{children}</div>;
}
