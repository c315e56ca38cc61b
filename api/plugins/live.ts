import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import pg from 'pg';
import type { Logger } from 'pino';
import { CASE_CHANGES_CHANNEL, parseCaseChange, type CaseChange } from '../../db/repositories/case-changes';
import type { Topic } from '../../domain/topics';

/** What a stream is told: a change of its topics, or that it may have missed some (read everything again). */
export type LiveSignal = { kind: 'change'; change: CaseChange; topics: Topic[] } | { kind: 'resync' };

export interface Subscription {
  close(): void;
}

export interface LiveHub {
  /** Resolves once this process is LISTENing, so no change committed after it is missed. */
  subscribe(topics: readonly Topic[], deliver: (signal: LiveSignal) => void): Promise<Subscription>;
  /** Open subscriptions in this process. */
  readonly size: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

/**
 * One PostgreSQL connection per API process LISTENs on the case-changes channel (the event append
 * NOTIFYs it in its transaction) and fans each change out to this process's streams by topic. Any
 * number of API processes can run: each hears every committed change from the database, whichever
 * process or worker appended it. The connection is opened with the first stream; when it drops it
 * is opened again (backing off up to 10 s), and every stream is told to resync, since changes
 * committed meanwhile were not heard.
 */
class PgLiveHub implements LiveHub {
  private readonly byTopic = new Map<Topic, Set<(signal: LiveSignal) => void>>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private stopped = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | undefined;
  private count = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger | FastifyInstance['log'],
  ) {}

  get size(): number {
    return this.count;
  }

  async subscribe(topics: readonly Topic[], deliver: (signal: LiveSignal) => void): Promise<Subscription> {
    await this.listening();
    const unique = [...new Set(topics)];
    for (const topic of unique) {
      let set = this.byTopic.get(topic);
      if (!set) this.byTopic.set(topic, (set = new Set()));
      set.add(deliver);
    }
    this.count += 1;
    let open = true;
    return {
      close: () => {
        if (!open) return;
        open = false;
        this.count -= 1;
        for (const topic of unique) {
          const set = this.byTopic.get(topic);
          set?.delete(deliver);
          if (set && !set.size) this.byTopic.delete(topic);
        }
      },
    };
  }

  private listening(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error('live updates are stopped'));
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'joint-approval-live' });
    client.on('notification', (msg) => {
      if (msg.channel !== CASE_CHANGES_CHANNEL) return;
      const change = parseCaseChange(msg.payload);
      if (change) this.dispatch(change);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${CASE_CHANGES_CHANNEL}`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new Error('live updates are stopped');
    }
    this.client = client;
    this.retryMs = 250;
  }

  /** Each stream hears a change once, with those of its topics the change touched. */
  private dispatch(change: CaseChange): void {
    const hits = new Map<(signal: LiveSignal) => void, Topic[]>();
    for (const topic of change.topics) {
      for (const deliver of this.byTopic.get(topic) ?? []) {
        const list = hits.get(deliver);
        if (list) list.push(topic);
        else hits.set(deliver, [topic]);
      }
    }
    for (const [deliver, topics] of hits) deliver({ kind: 'change', change, topics });
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.log.warn({ err: err.message }, 'live updates: LISTEN connection lost; reconnecting');
    client.end().catch(() => undefined);
    const again = () => {
      this.retryTimer = undefined;
      if (this.stopped || this.client) return;
      this.listening().then(
        () => {
          const everyone = new Set([...this.byTopic.values()].flatMap((set) => [...set]));
          for (const deliver of everyone) deliver({ kind: 'resync' });
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.retryTimer = setTimeout(again, this.retryMs);
        },
      );
    };
    this.retryTimer = setTimeout(again, this.retryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export const livePlugin = fp(async (app: FastifyInstance) => {
  const hub = new PgLiveHub(app.config.databaseUrl, app.log);
  app.decorate('live', hub);
  app.addHook('onClose', async () => hub.stop());
});
