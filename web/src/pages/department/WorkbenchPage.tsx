import { Card } from 'antd';

export default function WorkbenchPage() {
  return <Card title="WorkbenchPage">…</Card>;
}
