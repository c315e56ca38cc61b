import { Card } from 'antd';

export default function NoticePage() {
  return <Card title="NoticePage">…</Card>;
}
