import { Button, Result } from 'antd';
import { useRouteError } from 'react-router';
import { errorMessage } from '../api/client';

/** A page that failed to load (e.g. a chunk missing after a redeploy) still answers in words. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Result
      status="warning"
      title="页面加载失败"
      subTitle={errorMessage(error)}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          重新加载
        </Button>
      }
    />
  );
}
