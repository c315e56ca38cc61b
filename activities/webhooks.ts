import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/**
 * Webhooks (issue 15): a target on a private, loopback, link-local or otherwise non-public address
 * is refused when an admin sets it and again when a call is made (after DNS resolution, on the
 * address actually connected to, so DNS rebinding cannot slip past); redirects are not followed;
 * every call is signed with the receiving department's secret.
 */

/** Only public unicast addresses (the rule request-filtering-agent applies at connect time). */
export function isPublicAddress(address: string): boolean {
  try {
    const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address counts as its IPv4 one
    return parsed.range() === 'unicast';
  } catch {
    return false;
  }
}

/**
 * Why a webhook URL may not be used, or undefined when it may. Names that do not resolve now are
 * let through: the delivery checks the address it connects to.
 */
export async function webhookTargetProblem(url: string, allowPrivate: boolean): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https targets';
  if (parsed.username || parsed.password) return 'credentials in the URL are not allowed';
  if (allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this machine`;
  const addresses = net.isIP(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => [] as string[],
      );
  const refused = addresses.find((a) => !isPublicAddress(a));
  return refused ? `${host} resolves to ${refused}, a private, loopback or link-local address` : undefined;
}

/** A department's signing secret: 32 random bytes, shown to administrators only. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * The signature header, as Stripe's: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * A receiver recomputes it over the raw body and refuses old timestamps (replays).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export interface WebhookResponse {
  status: number;
}

export class WebhookRefused extends Error {
  override name = 'WebhookRefused';
  constructor(
    readonly code: 'webhook_target_not_allowed' | 'webhook_redirect_refused',
    message: string,
  ) {
    super(message);
  }
}

/** One POST, no redirect followed, connecting only to addresses the rule allows. */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { allowPrivate: boolean; timeoutMs: number },
): Promise<WebhookResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const filter = { allowPrivateIPAddress: opts.allowPrivate, keepAlive: false };
  const agent = secure ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: opts.timeoutMs,
      },
      (response) => {
        response.resume(); // the body is not read; only the status counts
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400)
          reject(
            new WebhookRefused('webhook_redirect_refused', `${url} answered ${status}: redirects are not followed`),
          );
        else resolve({ status });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`webhook ${url} timed out`)));
    request.on('error', (err) => {
      if (/is not allowed\. Because/.test(err.message))
        reject(new WebhookRefused('webhook_target_not_allowed', err.message));
      else reject(err);
    });
    request.end(body);
  });
}
