import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Query parameters that carry secrets: the applicant's query code (`?code=`) and tokens or keys a
 * careless client puts in a URL (`?access_token=`, `?token=`, …). Their values are never logged.
 */
const SECRET_PARAMS =
  /([?&](?:code|access_token|id_token|refresh_token|token|jwt|auth|authorization|api_key|apikey|key|secret|password|signature|sig)=)[^&#]*/gi;
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[Redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Fastify's request fields, with the query code masked; headers (and so tokens) are not logged at all. */
const requestSerializer = (req: LoggedRequest) => ({
  method: req.method,
  url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

/**
 * JSON logs in production or when piped; pretty ones in a terminal. Secrets are redacted.
 * `destination` (tests) sends the JSON lines to a stream instead.
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  const options: pino.LoggerOptions = {
    name,
    level,
    serializers: { req: requestSerializer },
    redact: [
      'req.headers.authorization',
      'req.headers.cookie',
      'headers.authorization',
      'authorization',
      'token',
      'jwtSecret',
      '*.jwtSecret',
      'databaseUrl',
      '*.databaseUrl',
    ],
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
