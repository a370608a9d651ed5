/**
 * The small load balancer of the two-instance benchmark: each request goes to the next instance in turn, over
 * keep-alive connections, and every 201 an instance answers is noted, so the run can check each one was stored once.
 */
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyReport {
  /** Requests sent to each instance, in the order the instances were given. */
  sent: number[];
  /** The instances' answers by status code. */
  statuses: Record<string, number>;
  /** Requests no instance answered (connection refused or reset). */
  failed: number;
  /** The `ref` of every 201 an instance gave, whether or not its client was still there to read it. */
  created: string[];
}

export interface RoundRobinProxy {
  url: string;
  /** What was relayed so far, once no request is in flight (the last ones of a run finish after their client left). */
  report(): Promise<ProxyReport>;
  stop(): Promise<void>;
}

/** Connection-level headers, which each hop sets for itself (RFC 9110, 7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade'];

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept = { ...headers };
  for (const name of HOP_BY_HOP) delete kept[name];
  return kept;
}

export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const targets = upstreams.map((url) => ({ url: new URL(url), agent: new Agent({ keepAlive: true, maxSockets: 64 }) }));
  const report: ProxyReport = { sent: targets.map(() => 0), statuses: {}, failed: 0, created: [] };
  let turn = 0;
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const settled = () => {
    if (--inFlight === 0) for (const resolve of idle.splice(0)) resolve();
  };

  const server = createServer((req, res) => {
    const index = turn;
    turn = (turn + 1) % targets.length;
    const target = targets[index]!;
    report.sent[index]!++;
    inFlight++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      settled();
    };
    // X-Forwarded-For goes on as the client sent it: the benchmark's clients play the outer proxy that sets it,
    // one address per patient, and this one stands for an internal balancer the instances do not count as a hop.
    const upstream = request(
      { host: target.url.hostname, port: target.url.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: target.agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = answer.statusCode ?? 0;
          report.statuses[status] = (report.statuses[status] ?? 0) + 1;
          if (status === 201) report.created.push((JSON.parse(body.toString('utf8')) as { ref: string }).ref);
          if (!res.destroyed) {
            res.writeHead(status, { ...endToEnd(answer.headers), 'content-length': body.length });
            res.end(body);
          }
          finished();
        });
      },
    );
    upstream.on('error', () => {
      report.failed++;
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
      finished();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async report() {
      if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      return report;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      for (const target of targets) target.agent.destroy();
      idle = [];
    },
  };
}
