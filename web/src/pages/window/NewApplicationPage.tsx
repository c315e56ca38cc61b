import { useMutation } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, Result, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, ok, type Matter } from '../../api/client';
import { useMatters } from '../../api/queries';
import { useSession } from '../../auth/session';
import { NoticeSheet } from '../../components/NoticeSheet';
import { ProblemAlert } from '../../components/ProblemAlert';
import { fullTime } from '../../lib/labels';
import { useFormDraft } from '../../lib/drafts';

interface ApplicationForm {
  matterCode: string;
  materials: string[];
  name: string;
  idNumber?: string;
  phone?: string;
  greenChannel: boolean;
  creditRestricted: boolean;
  /** 容缺受理: deferrable materials to follow under the applicant's signed promise. */
  deferred: string[];
  promiseText?: string;
  promiseSignedBy?: string;
  /** 告知承诺制: materials whose proof a written commitment replaces. */
  commitments: string[];
}

type Submitted = Awaited<ReturnType<typeof submitCase>> & { matterName: string; applicant: string; at: string };

async function submitCase(v: ApplicationForm, idempotencyKey: string) {
  // A box ticked before the material was marked handed in (and so hidden) does not count.
  const handedIn = v.materials ?? [];
  const deferred = (v.deferred ?? []).filter((c) => !handedIn.includes(c));
  const commitments = (v.commitments ?? []).filter((c) => !handedIn.includes(c) && !deferred.includes(c));
  return ok(
    await api.POST('/api/cases', {
      body: {
        matterCode: v.matterCode,
        applicant: {
          name: v.name.trim(),
          ...(v.idNumber?.trim() ? { idNumber: v.idNumber.trim() } : {}),
          ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
          ...(v.creditRestricted ? { creditRestricted: true } : {}),
        },
        materials: v.materials ?? [],
        ...(deferred.length
          ? {
              deferredMaterials: deferred,
              promise: { text: v.promiseText?.trim() ?? '', signedBy: v.promiseSignedBy?.trim() ?? '' },
            }
          : {}),
        ...(commitments.length ? { commitments } : {}),
        priority: v.greenChannel ? 'green_channel' : 'normal',
        idempotencyKey,
      },
    }),
  );
}

function SubmittedCase({ result, onNext }: { result: Submitted; onNext: () => void }) {
  const session = useSession();
  const incomplete = result.status === 'awaiting_materials';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Result
        className="no-print"
        status={incomplete ? 'warning' : 'success'}
        title={incomplete ? '已收件，材料不齐全：请将一次性告知书交给申请人' : '申请已受理'}
        subTitle={
          <span>
            办件编号 <strong data-testid="new-case-no">{result.caseNo}</strong>，查询码{' '}
            <strong>{result.queryCode}</strong>
            {result.deadline && `，承诺办结期限 ${fullTime(result.deadline)}`}
          </span>
        }
        extra={
          <Space wrap>
            {incomplete && (
              <Button type="primary" onClick={() => window.print()}>
                打印一次性告知书
              </Button>
            )}
            <Link to={`/cases/${encodeURIComponent(result.caseNo)}`}>
              <Button>查看办件</Button>
            </Link>
            <Button onClick={onNext}>继续收件</Button>
          </Space>
        }
      />
      {incomplete && (
        <NoticeSheet
          kind="materials"
          caseNo={result.caseNo}
          matterName={result.matterName}
          applicant={result.applicant}
          submittedAt={result.at}
          requests={[{ materials: result.missingMaterials }]}
          queryCode={result.queryCode}
          clerk={session?.claims.name}
        />
      )}
    </Space>
  );
}

/**
 * 容缺受理 and 告知承诺制 at the window: of the materials not handed in, the deferrable ones may
 * follow under the applicant's signed promise, and those the matter allows may be replaced by a
 * written commitment.
 */
function NewerInstruments({ matter }: { matter: Matter }) {
  const form = Form.useFormInstance<ApplicationForm>();
  const handedIn: string[] = Form.useWatch('materials', form) ?? [];
  const deferred: string[] = Form.useWatch('deferred', form) ?? [];
  const notHandedIn = matter.requiredMaterials.filter((m) => !handedIn.includes(m.code));
  const deferrable = notHandedIn.filter((m) => m.deferrable);
  const committable = notHandedIn.filter((m) => m.commitmentAllowed);
  if (!matter.requiredMaterials.some((m) => m.deferrable || m.commitmentAllowed)) return null;
  return (
    <>
      {deferrable.length > 0 && (
        <Form.Item label="容缺受理（勾选申请人承诺后补的材料）" name="deferred">
          <Checkbox.Group>
            <Space orientation="vertical">
              {deferrable.map((m) => (
                <Checkbox key={m.code} value={m.code}>
                  {m.name}（容缺，{m.deferredForm ?? '原件'}，{matter.deferredDays ?? 5} 个工作日内补交）
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
      )}
      {deferred.length > 0 && (
        <Space wrap size={16} align="start">
          <Form.Item
            label="容缺承诺书内容"
            name="promiseText"
            rules={[{ required: true, whitespace: true, message: '请填写申请人签署的承诺内容' }]}
          >
            <Input.TextArea rows={2} style={{ width: 420 }} />
          </Form.Item>
          <Form.Item
            label="承诺签署人"
            name="promiseSignedBy"
            rules={[{ required: true, whitespace: true, message: '请填写承诺签署人' }]}
          >
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
      )}
      {committable.length > 0 && (
        <Form.Item label="告知承诺（以书面承诺代替证明的材料）" name="commitments">
          <Checkbox.Group>
            <Space orientation="vertical">
              {committable.map((m) => (
                <Checkbox key={m.code} value={m.code}>
                  {m.name}（告知承诺）
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
      )}
    </>
  );
}

/** 一口受理: pick the matter, tick the materials handed in against its checklist, the applicant, green channel. */
export default function NewApplicationPage() {
  const [form] = Form.useForm<ApplicationForm>();
  // Kept while typed: a sign-in that expires mid-application comes back to what was filled in.
  const draft = useFormDraft(form, 'application');
  const matters = useMatters();
  const matterCode = Form.useWatch('matterCode', form);
  const matter = useMemo(() => matters.data?.find((m) => m.code === matterCode), [matters.data, matterCode]);
  // One key per filled-in form: a double click or a retry after a lost answer makes one case.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const submit = useMutation({
    mutationFn: async (v: ApplicationForm): Promise<Submitted> => ({
      ...(await submitCase(v, key)),
      matterName: matter?.name ?? v.matterCode,
      applicant: v.name.trim(),
      at: new Date().toISOString(),
    }),
  });

  if (submit.data)
    return (
      <SubmittedCase
        result={submit.data}
        onNext={() => {
          form.resetFields();
          setKey(crypto.randomUUID());
          submit.reset();
        }}
      />
    );

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
          新建申请（综合窗口收件）
        </Typography.Title>
      }
    >
      <ProblemAlert error={matters.error ?? submit.error} />
      <Form<ApplicationForm>
        name="application"
        form={form}
        layout="vertical"
        initialValues={{ materials: [], deferred: [], commitments: [], greenChannel: false, creditRestricted: false }}
        onValuesChange={draft.keep}
        onFinish={(v) => submit.mutate(v, { onSuccess: draft.drop })}
        style={{ maxWidth: 720 }}
      >
        <Form.Item label="申请事项" name="matterCode" rules={[{ required: true, message: '请选择申请事项' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={matters.isLoading}
            placeholder="选择事项"
            options={(matters.data ?? []).map((m) => ({ value: m.code, label: `${m.name}（${m.code}）` }))}
            onChange={() => form.setFieldsValue({ materials: [], deferred: [], commitments: [] })}
          />
        </Form.Item>
        {matter && (
          <Form.Item
            label={`申请材料清单（勾选申请人已提交的材料，共 ${matter.requiredMaterials.length} 项）`}
            name="materials"
          >
            <Checkbox.Group>
              <Space orientation="vertical">
                {matter.requiredMaterials.map((m) => (
                  <Checkbox key={m.code} value={m.code}>
                    {m.name}
                  </Checkbox>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
        )}
        {matter && <NewerInstruments matter={matter} />}
        {matter && (
          <Typography.Paragraph type="secondary">
            牵头部门 {matter.leadDept}，承诺时限 {matter.timeLimitDays} 个工作日，法定时限 {matter.statutoryLimitDays}{' '}
            个工作日。
          </Typography.Paragraph>
        )}
        <Form.Item label="申请人" name="name" rules={[{ required: true, whitespace: true, message: '请填写申请人' }]}>
          <Input placeholder="姓名或单位名称" />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item label="证件号码" name="idNumber">
            <Input style={{ width: 260 }} />
          </Form.Item>
          <Form.Item label="联系电话" name="phone">
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item
          label="信用受限"
          name="creditRestricted"
          valuePropName="checked"
          extra="信用系统标记为失信受限的申请人不适用容缺受理和告知承诺"
        >
          <Switch />
        </Form.Item>
        <Form.Item label="绿色通道" name="greenChannel" valuePropName="checked" extra="重点项目优先办理">
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          提交申请
        </Button>
      </Form>
    </Card>
  );
}
