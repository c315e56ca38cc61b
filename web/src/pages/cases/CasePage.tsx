import { Card } from 'antd';

export default function CasePage() {
  return <Card title="CasePage">…</Card>;
}
