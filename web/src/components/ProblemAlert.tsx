import { Alert } from 'antd';
import { errorMessage } from '../api/client';

/** A refused or failed request as the console's sentence for its code. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title ?? errorMessage(error)}
      description={title ? errorMessage(error) : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
