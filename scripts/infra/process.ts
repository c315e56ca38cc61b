import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * One long-running part of the cluster as an OS process of its own (a worker, an API instance,
 * the Temporal server), its output in a log file. Started, stopped gracefully, killed with
 * SIGKILL and started again under the same name, so tests can do to it what an outage would.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;
  /** Set when we stop or kill it, so its exit is not reported as unexpected. */
  private onPurpose = false;

  constructor(
    readonly name: string,
    private readonly spec: {
      command: string;
      args: string[];
      env: NodeJS.ProcessEnv;
      logFile: string;
      /** Resolves once the process is ready (a port open, a line logged); given its output so far. */
      ready: (output: () => string) => Promise<void>;
      /** Called when the process exits without being asked to. */
      onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
    },
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    mkdirSync(path.dirname(this.spec.logFile), { recursive: true });
    this.log = createWriteStream(this.spec.logFile, { flags: 'a' });
    this.log.write(`--- ${new Date().toISOString()} starting ${this.name}\n`);
    const child = spawn(this.spec.command, this.spec.args, { env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.onPurpose = false;
    let output = '';
    const take = (chunk: Buffer) => {
      if (output.length < 1_000_000) output += chunk.toString();
      this.log?.write(chunk);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.log?.write(`--- ${new Date().toISOString()} ${this.name} exited (${signal ?? code})\n`);
        if (!this.onPurpose) this.spec.onUnexpectedExit?.(code, signal);
        resolve();
      }),
    );
    let started = false;
    const failed = this.exited.then(() => {
      if (!started)
        throw new Error(`${this.name} exited during start-up; see ${this.spec.logFile}:\n${output.slice(-2000)}`);
    });
    failed.catch(() => undefined);
    try {
      await Promise.race([this.spec.ready(() => output), failed]);
    } catch (err) {
      await this.kill();
      throw err;
    }
    started = true;
  }

  /** Asks the process to stop (SIGTERM: graceful shutdown) and waits; SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.onPurpose = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.log?.end();
  }

  /** kill -9: no shutdown hooks, in-flight work abandoned. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.onPurpose = true;
    child.kill('SIGKILL');
    await this.exited;
    this.log?.end();
  }
}
