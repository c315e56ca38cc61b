import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, Collapse, Form, Input, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, errorMessage, ok } from '../api/client';
import { ProblemAlert } from '../components/ProblemAlert';
import { sessionStore, type StaffRole } from '../auth/session';
import { ROLE_LABELS } from '../lib/labels';

const HOME: Record<StaffRole, string> = {
  window: '/window',
  department: '/dept',
  supervisor: '/cases',
  admin: '/cases',
};

/** Where to go after signing in: back to what the user was doing, else the role's home. */
function target(next: string | null, role: StaffRole): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : HOME[role];
}

interface DevForm {
  role: StaffRole;
  dept?: string;
  name: string;
}

function DevSignIn({
  departments,
  onToken,
}: {
  departments: { code: string; name: string }[];
  onToken: (t: string) => void;
}) {
  const [form] = Form.useForm<DevForm>();
  const role = Form.useWatch('role', form);
  const needsDept = role === 'window' || role === 'department';
  const issue = useMutation({
    mutationFn: async (values: DevForm) =>
      ok(
        await api.POST('/api/dev/token', {
          body: {
            role: values.role,
            name: values.name,
            ...(values.dept && (values.role === 'window' || values.role === 'department') ? { dept: values.dept } : {}),
          },
        }),
      ),
    onSuccess: (data) => onToken(data.token),
  });
  return (
    <Form<DevForm>
      form={form}
      layout="vertical"
      initialValues={{ role: 'window' }}
      onFinish={(v) => issue.mutate(v)}
      aria-label="开发环境登录"
    >
      <ProblemAlert error={issue.error} />
      <Form.Item label="角色" name="role" rules={[{ required: true }]}>
        <Select
          options={(['window', 'department', 'supervisor', 'admin'] as const).map((r) => ({
            value: r,
            label: ROLE_LABELS[r],
          }))}
        />
      </Form.Item>
      {needsDept && (
        <Form.Item
          label="部门"
          name="dept"
          rules={[{ required: true, message: '请选择或填写部门编号' }]}
          extra="可从部门目录中选择，或填写部门编号（如综合窗口 WIN）"
        >
          <AutoComplete
            options={departments.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）` }))}
            placeholder="部门编号"
            filterOption={(input, option) =>
              String(option?.label ?? '')
                .toLowerCase()
                .includes(input.toLowerCase())
            }
          />
        </Form.Item>
      )}
      <Form.Item label="姓名" name="name" rules={[{ required: true, message: '请填写姓名' }]}>
        <Input placeholder="如：张三" autoComplete="name" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={issue.isPending}>
        登录
      </Button>
    </Form>
  );
}

function TokenSignIn({ onToken }: { onToken: (t: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <Form layout="vertical" onFinish={() => onToken(token.trim())} aria-label="令牌登录">
      <Typography.Paragraph type="secondary">
        粘贴统一身份认证平台签发的访问令牌（JWT）；也可由认证平台跳转至 <code>/signin#token=…</code> 自动登录。
      </Typography.Paragraph>
      <Form.Item label="访问令牌" required>
        <Input.TextArea rows={3} value={token} onChange={(e) => setToken(e.target.value)} />
      </Form.Item>
      <Button htmlType="submit" block disabled={!token.trim()}>
        使用令牌登录
      </Button>
    </Form>
  );
}

export default function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const [error, setError] = useState<string | null>(null);
  const reason = sessionStore.endReason();
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: async () => ok(await api.GET('/api/public/sign-in-options')),
  });

  const signIn = (token: string) => {
    try {
      const session = sessionStore.signIn(token);
      navigate(target(next, session.claims.role), { replace: true });
    } catch (err) {
      setError(
        err instanceof Error && err.message === 'token_expired'
          ? '该令牌已过期，请重新获取。'
          : '令牌无效，请检查后重试。',
      );
    }
  };

  // An identity provider may hand the token over in the URL fragment (never sent to any server).
  useEffect(() => {
    const match = /[#&]token=([^&]+)/.exec(window.location.hash);
    if (match?.[1]) {
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      signIn(decodeURIComponent(match[1]));
    }
  }, []);

  const devLogin = options.data?.devLogin === true;
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: 420, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          并联审批工作台
        </Typography.Title>
        {reason === 'expired' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="登录已过期，请重新登录"
            description={next ? '登录后将回到您刚才所在的页面。' : undefined}
          />
        )}
        {error && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={error} />}
        {options.error && <Alert type="error" showIcon title={errorMessage(options.error)} />}
        {devLogin && (
          <>
            <Alert
              type="info"
              style={{ marginBottom: 16 }}
              title="开发环境登录（DEV_LOGIN=1）：可任选角色、部门和姓名，生产环境不可用。"
            />
            <DevSignIn departments={options.data?.departments ?? []} onToken={signIn} />
          </>
        )}
        {options.data &&
          (devLogin ? (
            <Collapse
              ghost
              style={{ marginTop: 16 }}
              items={[{ key: 'token', label: '使用认证平台令牌登录', children: <TokenSignIn onToken={signIn} /> }]}
            />
          ) : (
            <TokenSignIn onToken={signIn} />
          ))}
      </Card>
    </main>
  );
}
