import { Card } from 'antd';

export default function NewApplicationPage() {
  return <Card title="NewApplicationPage">…</Card>;
}
