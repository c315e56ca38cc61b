import { Card } from 'antd';

export default function TaskPage() {
  return <Card title="TaskPage">…</Card>;
}
