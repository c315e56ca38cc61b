import pino, { type Logger } from 'pino';

/** JSON logs in production or when piped; pretty ones in a terminal. Secrets are redacted. */
export function createLogger(level: string, name: string): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    name,
    level,
    redact: ['req.headers.authorization', 'jwtSecret', '*.jwtSecret', 'databaseUrl', '*.databaseUrl'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
