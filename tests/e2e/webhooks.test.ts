import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, eventually, seedMatter, type MatterSetup } from '../support/http';
import { startSystem, unique, type TestSystem } from '../support/system';
import { startWebhookReceiver, type ReceivedCall } from '../support/webhook-receiver';

/** A local receiver: /hook answers 204, /redirect answers 302 to /hook. */
const startReceiver = () =>
  startWebhookReceiver(
    ({ path, headers, body }) => ({ path, headers, body }),
    (call) => (call.path === '/redirect' ? 302 : 204),
  );

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks: no private targets, no redirects, signed calls, URLs and secrets kept from other departments', () => {
  let strict: TestSystem; // WEBHOOK_ALLOW_PRIVATE unset, as in production
  let open: TestSystem; // WEBHOOK_ALLOW_PRIVATE=1, so the local receiver can be reached
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    strict = await startSystem();
    open = await startSystem({ env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await strict?.stop();
    await open?.stop();
    await receiver?.close();
  });

  const submit = async (sys: TestSystem, m: MatterSetup) =>
    (
      await caller(sys, sys.token('window', 'WIN')).post('/api/cases', {
        matterCode: m.matterCode,
        applicant: { name: '赵六' },
        materials: m.materials.map((x) => x.code),
      })
    ).body.caseNo as string;
  const hitsOf = (caseNo: string) => receiver.hits.filter((h) => h.body.includes(caseNo));

  it('refuses private, loopback, link-local and credentialed targets when an admin sets them', async () => {
    const admin = caller(strict, strict.token('admin'));
    const code = unique('WH');
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://localhost:5432/',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
      'https://user:pass@93.184.216.34/hook',
    ]) {
      const res = await admin.put(`/api/departments/${code}`, { name: '部门', webhookUrl: url });
      expect(`${url} ${res.status} ${res.body.code}`).toBe(`${url} 422 webhook_target_not_allowed`);
    }
    const fine = await admin.put(`/api/departments/${code}`, {
      name: '部门',
      webhookUrl: 'https://93.184.216.34/hook',
    });
    expect(fine.status).toBe(200);
    expect(fine.body.webhookSecret).toMatch(/^whsec_[\w-]{43}$/);
  });

  it('checks the address again when calling (after DNS resolution): a loopback target set earlier gets no call', async () => {
    const m = await seedMatter(strict, unique('WS'));
    // As if set before this check existed, or by a name that resolved elsewhere then.
    await strict.db
      .updateTable('departments')
      .set({ webhook_url: `http://localhost:${receiver.port}/hook` })
      .where('code', '=', m.co[0]!)
      .execute();
    const caseNo = await submit(strict, m);
    await settle(3000);
    expect(hitsOf(caseNo)).toHaveLength(0);
    const notice = await strict.db
      .selectFrom('notifications')
      .select('delivered_at')
      .where('case_no', '=', caseNo)
      .where('dept', '=', m.co[0]!)
      .executeTakeFirstOrThrow();
    expect(notice.delivered_at).toBeNull();
  });

  it('signs every call with the department’s secret (HMAC-SHA256 over timestamp and body); rotation takes effect', async () => {
    const m = await seedMatter(open, unique('WG'));
    const admin = caller(open, open.token('admin'));
    const put = await admin.put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: `http://127.0.0.1:${receiver.port}/hook`,
    });
    expect(put.status).toBe(200);
    const secret = put.body.webhookSecret as string;
    const verify = (hit: Omit<ReceivedCall, 'status'>, key: string) => {
      const header = String(hit.headers['webhook-signature']);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
      expect(Number(t)).toBe(Number(hit.headers['webhook-timestamp']));
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(120);
      return createHmac('sha256', key).update(`${t}.${hit.body}`).digest('hex') === v1;
    };
    const first = await submit(open, m);
    const [hit] = await eventually(
      async () => hitsOf(first),
      (h) => h.length >= 1,
    );
    expect(verify(hit!, secret)).toBe(true);
    expect(verify({ ...hit!, body: hit!.body.replace('copy', 'cOpy') }, secret)).toBe(false);
    expect(hit!.headers['webhook-id']).toBe(JSON.parse(hit!.body).key);

    const rotated = await admin.put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: `http://127.0.0.1:${receiver.port}/hook`,
      rotateWebhookSecret: true,
    });
    expect(rotated.body.webhookSecret).not.toBe(secret);
    const kept = await admin.put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: `http://127.0.0.1:${receiver.port}/hook`,
    });
    expect(kept.body.webhookSecret).toBe(rotated.body.webhookSecret); // a plain PUT keeps the secret
    const second = await submit(open, m);
    const [hit2] = await eventually(
      async () => hitsOf(second),
      (h) => h.length >= 1,
    );
    expect(verify(hit2!, rotated.body.webhookSecret)).toBe(true);
    expect(verify(hit2!, secret)).toBe(false);
  });

  it('does not follow redirects, nor retry them', async () => {
    const m = await seedMatter(open, unique('WR'));
    await caller(open, open.token('admin')).put(`/api/departments/${m.co[0]}`, {
      name: '消防',
      webhookUrl: `http://127.0.0.1:${receiver.port}/redirect`,
    });
    const caseNo = await submit(open, m);
    await eventually(
      async () => hitsOf(caseNo),
      (h) => h.length >= 1,
    );
    await settle(4000); // a retry would come after 2 s
    expect(hitsOf(caseNo).map((h) => h.path)).toEqual(['/redirect']);
  });

  it('webhook URLs only to admins and the department itself; secrets only to admins', async () => {
    const m = await seedMatter(open, unique('WV'));
    const url = `http://127.0.0.1:${receiver.port}/hook?token=s3cr3t-${m.co[0]}`;
    await caller(open, open.token('admin')).put(`/api/departments/${m.co[0]}`, { name: '消防', webhookUrl: url });
    const seen = async (token: string) =>
      ((await caller(open, token).get('/api/departments')).body as Record<string, unknown>[]).find(
        (d) => d.code === m.co[0],
      );
    expect(await seen(open.token('admin'))).toMatchObject({ webhookUrl: url, webhookSecret: expect.any(String) });
    expect(await seen(open.token('department', m.co[0]))).toEqual({ code: m.co[0], name: '消防', webhookUrl: url });
    for (const token of [open.token('department', m.lead), open.token('window', 'WIN'), open.token('supervisor')]) {
      const other = await caller(open, token).get('/api/departments');
      expect(JSON.stringify(other.body)).not.toContain('s3cr3t');
      expect(JSON.stringify(other.body)).not.toContain('whsec_');
      expect(await seen(token)).toEqual({ code: m.co[0], name: '消防', webhookUrl: null });
    }
  });
});
