import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';

/** The benches' HTTP client: one JSON POST on a keep-alive agent, answered with its status and body. */
export function postJson(agent: Agent, url: URL, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Each connection sends until `seconds` have passed, at least once (warms connections, caches and the JIT). */
export async function warmUp(connections: number, seconds: number, send: (connection: number) => Promise<void>): Promise<void> {
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      do await send(connection);
      while (performance.now() < until);
    }),
  );
}

/** Each connection sends one request after another for `seconds`: every request's latency (sorted) and the time taken. */
export async function timedLoad(connections: number, seconds: number, send: (connection: number) => Promise<void>): Promise<{ latencies: number[]; elapsedSeconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      while (performance.now() < until) {
        const sentAt = performance.now();
        await send(connection);
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), elapsedSeconds: (performance.now() - started) / 1000 };
}

export const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
