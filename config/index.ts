import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCORING, type ScoringRule } from '../domain/assessment';

/**
 * One configuration module for the API, the worker and the scripts, validated at boot so a bad
 * environment fails loudly at start rather than half-way through a case.
 */
export interface AppConfig {
  nodeEnv: string;
  host: string;
  port: number;
  jwtSecret: string;
  /** Longest lifetime (exp − iat, and exp − now) a token may have, in seconds. */
  jwtMaxLifetimeSeconds: number;
  /** When set, tokens must carry this `iss`. */
  jwtIssuer: string | undefined;
  /** When set, tokens must carry this `aud`. */
  jwtAudience: string | undefined;
  /** Server key for the keyed hash (HMAC-SHA256) of applicants' query codes. */
  queryCodeKey: string;
  /** Webhook targets on private, loopback or link-local addresses are allowed (tests, closed networks). */
  webhookAllowPrivate: boolean;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** Demo clock: every day is a working day lasting this many seconds. Unset in production. */
  demoDaySeconds: number | undefined;
  /** When the demo clock's day 0 began (ms); the moment the system started. */
  demoEpochMs: number | undefined;
  logLevel: string;
  bodyLimitBytes: number;
  /** Failed authentications one client IP may make per minute before it gets 429s. */
  authFailuresPerMinute: number;
  /** Applicant progress look-ups one client IP may make per minute. */
  publicLookupsPerMinute: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (Fastify `trustProxy`): false
   * (default, the socket address), true (any), or addresses/CIDRs separated by commas.
   */
  trustProxy: boolean | string;
  /**
   * How long a command waits for its case's workflow before the API answers 503 (the act stays
   * durably received and is applied later; the same Idempotency-Key tells its outcome).
   */
  commandWaitMs: number;
  /** How often the API looks for received commands it has not answered yet (after an outage). */
  receiptApplierIntervalMs: number;
  /** How long answered idempotency keys are kept (api.md: at least 24 h). */
  receiptKeepHours: number;
  /** Live updates (GET /api/stream): a heartbeat comment this often keeps proxies from closing an idle stream. */
  streamHeartbeatMs: number;
  /** Open streams one API process holds at most; beyond, 503 (the console falls back to polling). */
  streamMaxConnections: number;
  /** Where the worker serves its Temporal SDK metrics for Prometheus (host:port); unset: none. */
  workerMetricsAddress: string | undefined;
  /** DEV_LOGIN=1: the console's sign-in page may pick any role and get a token (never in production). */
  devLogin: boolean;
  /**
   * How many case workflows the worker keeps in memory (its sticky cache). Beyond, the least recently
   * used is evicted and replayed from its history on its next task: memory stays bounded whatever the
   * number of open cases.
   */
  workerMaxCachedWorkflows: number;
  /** How long a calendar republication waits for every open case to adopt the new calendar (REPUBLICATION_SWEEP_SECONDS). */
  republicationSweepSeconds: number;
  /** Working days a department has to remediate a bad review (好差评 整改; REMEDIATION_DAYS). */
  remediationDays: number;
  /**
   * The assessment score's rule (效能考核): seed 004's by default; 好差评 weighs in only when
   * ASSESSMENT_PER_BAD_REVIEW / ASSESSMENT_PER_LATE_REMEDIATION are set.
   */
  scoring: ScoringRule;
}

export const EMBEDDED_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:55432/joint_approval';
export const EMBEDDED_TEMPORAL_ADDRESS = '127.0.0.1:7233';
/** The project's git-ignored data folder, where `npm start` keeps its databases. */
export const DATA_DIR = path.resolve(__dirname, '..', '.data');

/**
 * See docs/benchmarks.md (engine, sixth round): with 150 the worker's RSS stayed within 445–566 MiB
 * while 9,000 cases were opened after a 1,000-case timer burst; with 300 it swung 509–808 MiB (and
 * 750 swung 660–790 MiB before). An evicted open case costs a replay of about 20 ms on its next task.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 150;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function positiveInteger(env: Env, name: string): number | undefined {
  const value = positiveNumber(env, name);
  if (value !== undefined && !Number.isInteger(value)) throw new ConfigError(`${name} must be a whole number`);
  return value;
}

function positiveNumber(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function nonNegativeNumber(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new ConfigError(`${name} must be a number of 0 or more, got "${raw}"`);
  return value;
}

function scoring(env: Env): ScoringRule {
  const d = DEFAULT_SCORING;
  return {
    base: nonNegativeNumber(env, 'ASSESSMENT_BASE') ?? d.base,
    perLateWorkingDay: nonNegativeNumber(env, 'ASSESSMENT_PER_LATE_WORKING_DAY') ?? d.perLateWorkingDay,
    perDeemed: nonNegativeNumber(env, 'ASSESSMENT_PER_DEEMED') ?? d.perDeemed,
    perBadReview: nonNegativeNumber(env, 'ASSESSMENT_PER_BAD_REVIEW') ?? d.perBadReview,
    perLateRemediation: nonNegativeNumber(env, 'ASSESSMENT_PER_LATE_REMEDIATION') ?? d.perLateRemediation,
    floor: d.floor,
  };
}

function port(env: Env): number {
  const value = positiveNumber(env, 'PORT') ?? 3000;
  if (!Number.isInteger(value) || value > 65535) throw new ConfigError(`PORT must be an integer 1-65535`);
  return value;
}

/**
 * Outside production, with no JWT_SECRET, a random secret made once and kept in the data folder
 * (mode 0600): the API, the worker and `npm run token` on this machine share it, nobody else knows it.
 */
function localDevSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx': if another process (the worker, `npm run token`) made it first, use theirs.
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(file, 'utf8').trim();
  }
  chmodSync(file, 0o600);
  return secret;
}

function jwtSecret(env: Env, production: boolean): string {
  const secret = env.JWT_SECRET;
  if (secret === undefined || secret === '') {
    if (production) throw new ConfigError('JWT_SECRET is required in production');
    return localDevSecret(env.DATA_DIR || DATA_DIR);
  }
  if (production && secret.length < 32)
    throw new ConfigError('JWT_SECRET must be at least 32 characters in production');
  return secret;
}

function url(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  return value;
}

function trustProxy(env: Env): boolean | string {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  return raw === 'true' ? true : raw;
}

function receiptKeepHours(env: Env): number {
  const hours = positiveNumber(env, 'RECEIPT_KEEP_HOURS') ?? 48;
  if (hours < 24) throw new ConfigError('RECEIPT_KEEP_HOURS must be at least 24 (api.md keeps keys 24 h)');
  return hours;
}

const optional = (env: Env, name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0, got "${env[name]}"`);
}

function devLogin(env: Env, production: boolean): boolean {
  const on = flag(env, 'DEV_LOGIN');
  if (on && production) throw new ConfigError('DEV_LOGIN is refused when NODE_ENV=production');
  return on;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const demoDaySeconds = positiveNumber(env, 'DEMO_DAY_SECONDS');
  const demoEpoch = positiveNumber(env, 'DEMO_EPOCH_MS');
  const secret = jwtSecret(env, production);
  return {
    nodeEnv,
    // Loopback unless told otherwise: a laptop's `npm start` is not served to the whole network.
    host: env.HOST || '127.0.0.1',
    port: port(env),
    jwtSecret: secret,
    jwtMaxLifetimeSeconds: positiveNumber(env, 'JWT_MAX_LIFETIME_SECONDS') ?? 12 * 3600,
    jwtIssuer: optional(env, 'JWT_ISSUER'),
    jwtAudience: optional(env, 'JWT_AUDIENCE'),
    queryCodeKey: optional(env, 'QUERY_CODE_KEY') ?? secret,
    webhookAllowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE'),
    databaseUrl: url(env, 'DATABASE_URL', EMBEDDED_DATABASE_URL),
    temporalAddress: env.TEMPORAL_ADDRESS || EMBEDDED_TEMPORAL_ADDRESS,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'joint-approval',
    demoDaySeconds,
    demoEpochMs: demoDaySeconds === undefined ? undefined : (demoEpoch ?? Date.now()),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    bodyLimitBytes: positiveNumber(env, 'BODY_LIMIT_BYTES') ?? 256 * 1024,
    // Generous enough for a busy service-centre front desk behind one address, still a wall for guessing.
    authFailuresPerMinute: positiveNumber(env, 'AUTH_FAILURES_PER_MINUTE') ?? 300,
    publicLookupsPerMinute: positiveNumber(env, 'PUBLIC_LOOKUPS_PER_MINUTE') ?? 60,
    trustProxy: trustProxy(env),
    commandWaitMs: positiveNumber(env, 'COMMAND_WAIT_MS') ?? 10_000,
    receiptApplierIntervalMs: positiveNumber(env, 'RECEIPT_APPLIER_INTERVAL_MS') ?? 1_000,
    receiptKeepHours: receiptKeepHours(env),
    streamHeartbeatMs: (positiveNumber(env, 'STREAM_HEARTBEAT_SECONDS') ?? 15) * 1000,
    streamMaxConnections: positiveNumber(env, 'STREAM_MAX_CONNECTIONS') ?? 2000,
    workerMetricsAddress: env.WORKER_METRICS_ADDRESS || undefined,
    devLogin: devLogin(env, production),
    workerMaxCachedWorkflows: positiveNumber(env, 'WORKER_MAX_CACHED_WORKFLOWS') ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    republicationSweepSeconds: positiveNumber(env, 'REPUBLICATION_SWEEP_SECONDS') ?? 300,
    remediationDays: positiveInteger(env, 'REMEDIATION_DAYS') ?? 5,
    scoring: scoring(env),
  };
}
