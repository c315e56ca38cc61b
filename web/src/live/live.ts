import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client';

/**
 * Live updates: the console follows what changes over Server-Sent Events (GET /api/stream), and
 * polling stays as the fallback. A `change` names the topics and cases that changed; the queries
 * showing them are read again. When no stream is open (none could be had, or it dropped), the
 * pages poll as before; while one is open they poll only rarely.
 */
export interface Change {
  topics: string[];
  changes: { caseNo: string; seq: number; types: string[] }[];
  truncated: boolean;
}

type Listener = () => void;
let connected = false;
const listeners = new Set<Listener>();
function setConnected(value: boolean): void {
  if (connected === value) return;
  connected = value;
  for (const l of listeners) l();
}

/** Whether a live stream is open now (pages then poll rarely). */
export const liveConnected = () => connected;

export function useLiveConnected(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => connected,
  );
}

/** How often a page re-reads: `fallbackMs` without a stream, rarely with one. */
export const pollInterval = (fallbackMs: number) => () => (connected ? Math.max(fallbackMs, 30_000) : fallbackMs);

/** What a change means for the cached queries: the cases it names, and the lists of its topics. */
function invalidate(client: QueryClient, change: Change): void {
  for (const c of change.changes) void client.invalidateQueries({ queryKey: ['case', c.caseNo] });
  const topics = new Set(change.topics.map((t) => t.split(':')[0]));
  if (change.truncated) void client.invalidateQueries({ queryKey: ['case'] });
  void client.invalidateQueries({ queryKey: ['cases'] });
  if (topics.has('inbox')) {
    void client.invalidateQueries({ queryKey: ['tasks'] });
    void client.invalidateQueries({ queryKey: ['inbox'] });
  }
  if (topics.has('supervision')) void client.invalidateQueries({ queryKey: ['supervision'] });
}

/**
 * Follows `topics` while mounted: a one-time ticket (POST /api/stream/tickets, with the bearer
 * token — EventSource cannot send one), then EventSource. When the stream ends or fails, a new
 * ticket is asked for after a pause that grows to 30 s, and everything is read again once.
 */
export function useLiveTopics(topics: readonly string[]): void {
  const client = useQueryClient();
  const key = [...topics].sort().join(',');
  useEffect(() => {
    if (!key || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let stopped = false;
    let retryMs = 1000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reconnect = () => {
      setConnected(false);
      source?.close();
      source = undefined;
      if (stopped) return;
      timer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    };
    async function open(): Promise<void> {
      timer = undefined;
      const issued = await api.POST('/api/stream/tickets', { body: { topics: key.split(',') } }).catch(() => undefined);
      if (stopped) return;
      if (!issued?.data) return reconnect();
      const s = new EventSource(issued.data.url);
      source = s;
      s.addEventListener('ready', () => {
        retryMs = 1000;
        setConnected(true);
        // What changed while no stream was open.
        void client.invalidateQueries();
      });
      s.addEventListener('change', (e) => invalidate(client, JSON.parse((e as MessageEvent<string>).data) as Change));
      s.addEventListener('resync', () => void client.invalidateQueries());
      s.addEventListener('end', reconnect);
      // A ticket opens one stream only: EventSource's own reconnection would be refused, so ask anew.
      s.onerror = reconnect;
    }
    void open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
      setConnected(false);
    };
  }, [client, key]);
}
