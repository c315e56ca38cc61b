import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { caseState } from '../../db/repositories/cases';
import { issueStreamTicket, redeemStreamTicket } from '../../db/repositories/stream-tickets';
import { toShanghaiIso } from '../../domain/calendar';
import { refusal } from '../../domain/errors';
import { parseTopic, topicSubject, type Topic } from '../../domain/topics';
import type { Actor } from '../../domain/types';
import { assertMayReadCase, inboxDept } from '../access';
import type { LiveSignal } from '../plugins/live';
import { caseNotFound, forbiddenRole, HttpProblem } from '../problem';
import { StreamQuery, StreamTicket, StreamTicketBody } from '../schemas';
import { STAFF_ERRORS, problems, staff } from './common';

const TICKET_TTL_MS = 60_000;
/** A stream ends after an hour at most (the console then opens a new one with a new ticket). */
const MAX_STREAM_MS = 3_600_000;
/** Changes arriving within this window reach a stream as one message. */
const COALESCE_MS = 100;
/** A message names at most this many changed cases; past it, `truncated` says "read everything again". */
const MAX_CHANGES = 50;

/**
 * Topics are authorised like the routes they mirror: a case page like GET /api/cases/:caseNo,
 * an inbox like GET /api/inbox?dept=, the dashboard like GET /api/supervision/cases.
 */
async function authorizeTopics(
  app: Pick<FastifyInstance, 'db'>,
  actor: Actor,
  texts: readonly string[],
): Promise<Topic[]> {
  const topics: Topic[] = [];
  for (const text of texts) {
    const topic = parseTopic(text);
    if (!topic) throw refusal('invalid_topic', `"${text}" is not a topic (case:<caseNo>, inbox:<dept>, supervision)`);
    const subject = topicSubject(topic);
    if (subject.kind === 'supervision') {
      if (actor.role !== 'supervisor') throw forbiddenRole('the supervision topic needs the role supervisor');
    } else if (subject.kind === 'inbox') {
      if (actor.role !== 'department' && actor.role !== 'supervisor')
        throw forbiddenRole('an inbox topic needs the role department or supervisor');
      inboxDept(actor, subject.dept);
    } else {
      const state = await caseState(app.db, subject.caseNo);
      if (!state) throw caseNotFound();
      assertMayReadCase(actor, state);
    }
    topics.push(topic);
  }
  return [...new Set(topics)];
}

/** When a stream opened with the caller's bearer token must end: when the token does, an hour at most. */
function streamEnd(request: FastifyRequest, now: number): Date {
  const exp = request.user?.exp;
  return new Date(Math.min(now + MAX_STREAM_MS, typeof exp === 'number' ? exp * 1000 : Infinity));
}

export const streamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const anyStaff = staff(app, [], ['live']);
  const open = new Set<(reason: string) => void>();

  app.post(
    '/api/stream/tickets',
    {
      ...anyStaff,
      schema: {
        ...anyStaff.schema,
        summary: 'A one-time ticket to open a live-update stream (EventSource cannot send a bearer token)',
        body: StreamTicketBody,
        response: { 201: StreamTicket, ...STAFF_ERRORS },
      },
    },
    async (request, reply) => {
      const topics = await authorizeTopics(app, request.actor, request.body.topics);
      const now = Date.now();
      const streamUntil = streamEnd(request, now);
      const { ticket, expiresAt } = await issueStreamTicket(app.db, {
        actor: request.actor,
        topics,
        ttlMs: TICKET_TTL_MS,
        streamUntil,
      });
      return reply.status(201).send({
        ticket,
        expiresAt: toShanghaiIso(expiresAt.getTime()),
        streamUntil: toShanghaiIso(streamUntil.getTime()),
        topics,
        url: `/api/stream?ticket=${ticket}`,
      });
    },
  );

  const bearer = app.requireRole();
  app.get(
    '/api/stream',
    {
      sse: { kind: 'manual' },
      // With a ticket the ticket is the credential; otherwise a bearer token, as on every staff route.
      // Hooks run before validation: the query is whatever the client sent.
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        const { query } = request;
        const ticket = typeof query === 'object' && query !== null && 'ticket' in query ? query.ticket : undefined;
        if (typeof ticket === 'string' && !request.headers.authorization) return;
        await bearer(request, reply);
      },
      schema: {
        tags: ['live'],
        summary: 'Live updates as Server-Sent Events',
        description:
          'Events: `ready` (subscribed; data: topics, streamUntil), `change` (data: the topics that changed and the ' +
          'cases behind them — read them again through their routes), `resync` (changes may have been missed: read ' +
          'everything again), `end` (data: reason — expired, shutdown; open a new stream with a new ticket). A comment ' +
          'line every 15 s keeps the connection open. Authenticate with a ticket from POST /api/stream/tickets ' +
          '(for EventSource) or with a bearer token and `topics`.',
        security: [{ bearer: [] }],
        querystring: StreamQuery,
        response: {
          200: { description: 'an event stream', content: { 'text/event-stream': { schema: Type.String() } } },
          ...STAFF_ERRORS,
          ...problems(503),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = Date.now();
      let topics: Topic[];
      let until: Date;
      if (q.ticket && !request.headers.authorization) {
        const redeemed = await redeemStreamTicket(app.db, q.ticket);
        if (!redeemed)
          throw new HttpProblem(401, 'stream_ticket_invalid', 'the stream ticket is unknown, used or expired');
        request.actor = redeemed.actor;
        topics = redeemed.topics;
        until = redeemed.streamUntil;
      } else {
        if (!q.topics) throw refusal('invalid_topic', 'name the topics to follow, or open the stream with a ticket');
        topics = await authorizeTopics(app, request.actor, q.topics.split(','));
        until = streamEnd(request, now);
      }
      if (app.live.size >= app.config.streamMaxConnections) {
        void reply.header('retry-after', '30');
        throw new HttpProblem(503, 'service_unavailable', 'too many open streams; poll instead, or retry later');
      }

      const sse = reply.sse;
      reply.header('cache-control', 'no-store');
      sse.keepAlive();
      let pending: { topics: Set<Topic>; changes: { caseNo: string; seq: number; types: string[] }[] } | undefined;
      let truncated = false;
      let flushTimer: NodeJS.Timeout | undefined;
      const send = (message: { event: string; data: unknown; retry?: number }) => {
        if (sse.isConnected) sse.send(message).catch(() => sse.close());
      };
      const flush = () => {
        flushTimer = undefined;
        if (!pending) return;
        send({ event: 'change', data: { topics: [...pending.topics], changes: pending.changes, truncated } });
        pending = undefined;
        truncated = false;
      };
      const deliver = (signal: LiveSignal) => {
        if (signal.kind === 'resync') return send({ event: 'resync', data: {} });
        pending ??= { topics: new Set(), changes: [] };
        for (const t of signal.topics) pending.topics.add(t);
        const { caseNo, seq, types } = signal.change;
        if (pending.changes.length < MAX_CHANGES) pending.changes.push({ caseNo, seq, types });
        else truncated = true;
        flushTimer ??= setTimeout(flush, COALESCE_MS);
      };
      const subscription = await app.live.subscribe(topics, deliver).catch(() => {
        void reply.header('retry-after', '5');
        throw new HttpProblem(503, 'service_unavailable', 'live updates are unavailable; poll instead');
      });
      if (!sse.isConnected) return subscription.close(); // gone while subscribing
      const end = (reason: string) => {
        send({ event: 'end', data: { reason } });
        sse.close();
      };
      const endTimer = setTimeout(() => end('expired'), Math.max(0, until.getTime() - Date.now()));
      open.add(end);
      sse.onClose(() => {
        subscription.close();
        clearTimeout(endTimer);
        if (flushTimer) clearTimeout(flushTimer);
        open.delete(end);
      });
      await sse.send({
        event: 'ready',
        data: { topics, streamUntil: toShanghaiIso(until.getTime()) },
        retry: 3000,
      });
    },
  );

  // Streams never end by themselves: tell them the server is going, so closing does not wait on them.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end('shutdown');
  });
};
