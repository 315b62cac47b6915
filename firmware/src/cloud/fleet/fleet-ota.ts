/**
 * `callbox fleet ota-start`: offer a signed bundle to one box and follow the job. The bundle is
 * served over HTTP by this process (`--serve HOST:PORT`, with Range requests so the box resumes a
 * broken download) or is already at `--bundle-url`; the command carries its size and sha256.
 * Every `jobs/{jobId}/update` is printed as a JSON line until SUCCEEDED or FAILED.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { sha256File } from '../ota-download.js';
import { FleetConsumer } from './fleet-consumer.js';
import type { FleetJob, FleetStoreApi } from './fleet-store.js';

export interface BundleServer {
  url: string;
  close(): Promise<void>;
}

/** Serve one file at `http://HOST:PORT/<name>` with `Range: bytes=N-` support (206). */
export async function serveBundle(file: string, listen: string, name: string): Promise<BundleServer> {
  const m = /^(.+):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--serve HOST:PORT, got "${listen}"`);
  const size = statSync(file).size;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== `/${name}`) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const range = req.headers.range ?? null;
    const r = range ? /^bytes=(\d+)-$/.exec(range) : null;
    const start = r ? Number(r[1]) : 0;
    if (range && (!r || start >= size)) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(r ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size - start),
      'accept-ranges': 'bytes',
      ...(r ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    createReadStream(file, { start }).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(m[2]), m[1], () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${m[1]}:${port}/${name}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OtaStartOptions {
  url: string;
  store: FleetStoreApi;
  device: string;
  bundle: string;
  serve?: string;
  bundleUrl?: string;
  jobId?: string;
  version?: string;
  timeoutMs: number;
  print: (v: unknown) => void;
}

/** Start the job and follow it: 0 SUCCEEDED, 1 FAILED, refused or no end within the timeout. */
export async function otaStart(o: OtaStartOptions): Promise<number> {
  if (!o.serve === !o.bundleUrl) throw new Error('ota-start needs --serve HOST:PORT or --bundle-url URL (one of them)');
  const jobId = o.jobId ?? `ota-${randomUUID().slice(0, 8)}`;
  const size = statSync(o.bundle).size;
  const sha256 = await sha256File(o.bundle); // streamed: a bundle may be up to 1 GiB
  const server = o.serve ? await serveBundle(o.bundle, o.serve, `${jobId}.bundle`) : null;
  let finish: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const consumer = new FleetConsumer({
    url: o.url,
    store: o.store,
    persistent: false,
    records: false,
    onJob: (j: FleetJob) => {
      if (j.deviceId !== o.device || j.jobId !== jobId) return;
      o.print(j);
      if (j.status === 'SUCCEEDED') finish(0);
      else if (j.status === 'FAILED') finish(1);
    },
  });
  await consumer.start();
  const timer = setTimeout(() => {
    process.stderr.write(`callbox fleet: job ${jobId} did not end within ${o.timeoutMs / 1000} s (it goes on; see jobs/notify)\n`);
    finish(1);
  }, o.timeoutMs);
  try {
    const args = {
      jobId,
      url: server?.url ?? (o.bundleUrl as string),
      sha256,
      size,
      ...(o.version ? { version: o.version } : {}),
    };
    const [reply] = await consumer.command(o.device, 'ota-start', args, { timeoutMs: Math.min(o.timeoutMs, 30_000) });
    o.print(reply);
    if (!reply?.ok) return 1;
    return await ended;
  } finally {
    clearTimeout(timer);
    await consumer.stop();
    await server?.close();
  }
}
