import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The applicant's query code (8 digits) is kept only as a keyed, salted hash: HMAC-SHA256 under a
 * server key (QUERY_CODE_KEY) over a random per-case salt and the code, stored as
 * `v1$<salt>$<mac>`. Without the key the 10⁸ codes cannot be tried offline; the salt makes equal
 * codes of two cases look different. No event and no API answer carries it.
 */
export const newQueryCode = () => String(randomInt(0, 100_000_000)).padStart(8, '0');

const mac = (key: string, salt: Buffer, code: string) => createHmac('sha256', key).update(salt).update(code).digest();

export function hashQueryCode(key: string, code: string, salt: Buffer = randomBytes(16)): string {
  return `v1$${salt.toString('base64url')}$${mac(key, salt, code).toString('base64url')}`;
}

/** Constant-time comparison; an unknown case (`stored` undefined) costs the same as a wrong code. */
export function queryCodeMatches(key: string, stored: string | null | undefined, given: string): boolean {
  const [version, salt, expected] = (stored ?? '').split('$');
  const known = version === 'v1' && salt !== undefined && expected !== undefined;
  const saltBytes = known ? Buffer.from(salt, 'base64url') : Buffer.alloc(16);
  const want = known ? Buffer.from(expected, 'base64url') : Buffer.alloc(32);
  const got = mac(key, saltBytes, given);
  return want.length === got.length && timingSafeEqual(want, got) && known;
}

/**
 * For answering a retried submission to the window that made it, the code is also kept sealed
 * (AES-256-GCM under a key derived from QUERY_CODE_KEY) for a day, then dropped.
 */
const sealKey = (key: string) => createHmac('sha256', key).update('query-code-seal/v1').digest();

export function sealQueryCode(key: string, code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(key), iv);
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((x) => (typeof x === 'string' ? x : x.toString('base64url')))
    .join('$');
}

export function unsealQueryCode(key: string, sealed: string): string | undefined {
  const [version, iv, tag, body] = sealed.split('$');
  if (version !== 'v1' || !iv || !tag || !body) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(key), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** How long a retried submission can still get its code back from the sealed copy. */
export const SEALED_CODE_RETENTION_MS = 24 * 3_600_000;
