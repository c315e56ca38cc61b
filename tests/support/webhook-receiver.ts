import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as a department's receiver got it, with the status it answered. */
export interface ReceivedCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A department's webhook receiver on a free local port: every call is answered `answer(call)`
 * (204 unless told otherwise; a 302 goes to /hook) and kept as `keep(call)` in `hits`.
 */
export async function startWebhookReceiver<T>(
  keep: (call: ReceivedCall) => T,
  answer: (call: Omit<ReceivedCall, 'status'>) => number = () => 204,
) {
  const hits: T[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const call = { path: req.url ?? '', headers: req.headers, body };
      const status = answer(call);
      hits.push(keep({ ...call, status }));
      if (status === 302) res.writeHead(302, { location: '/hook' }).end();
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { hits, port, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise((r) => server.close(r)) };
}
