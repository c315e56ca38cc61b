import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CASE_SEARCH_ATTRIBUTES, searchAttributeCliArgs } from '../../workflows/search-attributes';
import { ensureTemporalCli } from './temporal-cli';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  how: string;
  stop(): Promise<void>;
}

export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The Temporal CLI dev server with a file database (state survives restarts) and our search
 * attributes registered. Without Go, falls back to the CLI that @temporalio/testing downloads.
 */
export async function startTemporalDevServer(opts: {
  dataDir: string;
  port: number;
  uiPort: number;
  log: (m: string) => void;
}): Promise<RunningTemporal> {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = path.join(opts.dataDir, 'temporal.db');
  const cli = ensureTemporalCli(opts.log);
  if (!cli) {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: opts.port,
        uiPort: opts.uiPort,
        dbFilename: dbFile,
        searchAttributes: CASE_SEARCH_ATTRIBUTES,
      },
    });
    return {
      address: `127.0.0.1:${opts.port}`,
      uiUrl: `http://127.0.0.1:${opts.uiPort}`,
      how: 'Temporal CLI downloaded by @temporalio/testing (no Go found)',
      stop: () => env.teardown(),
    };
  }
  const child: ChildProcess = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(opts.port),
      '--ui-port',
      String(opts.uiPort),
      '--db-filename',
      dbFile,
      '--log-level',
      'warn',
      ...searchAttributeCliArgs(),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort('127.0.0.1', opts.port, 60_000);
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    how: `Temporal CLI built from the Go module proxy (${cli})`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
