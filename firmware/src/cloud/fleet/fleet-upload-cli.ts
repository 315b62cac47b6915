/**
 * `callbox fleet upload DEVICE RECORDING_ID --files DIR`: ask a box for one recording
 * (`cmd/recording-upload`), store its chunks as they come (fleet-uploads.ts) and wait for the last
 * one. Run it again after an interruption: the box resumes after the last chunk acked.
 */
import { FleetConsumer } from './fleet-consumer.js';
import type { FleetStoreApi } from './fleet-store.js';

export interface FetchRecordingOptions {
  url: string;
  store: FleetStoreApi;
  device: string;
  recordingId: string;
  files: string;
  timeoutMs: number;
  print: (v: unknown) => void;
}

/** 0: stored (the file's path is printed), 1: refused, failed or not complete within the timeout. */
export async function fetchRecording(o: FetchRecordingOptions): Promise<number> {
  const uploadId = `rec-${o.recordingId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}`;
  let finish: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const consumer = new FleetConsumer({
    url: o.url,
    store: o.store,
    persistent: false,
    records: false,
    files: o.files,
    onUpload: async (deviceId, id, ack) => {
      if (deviceId !== o.device || id !== uploadId) return;
      if ('error' in ack) {
        o.print({ uploadId: id, error: ack.error });
        finish(1);
      } else if (ack.complete) {
        o.print({ ...(await o.store.getUpload(deviceId, id)), uploadId: id, complete: true });
        finish(0);
      }
    },
    onError: (topic, message) => o.print({ level: 'warn', topic, msg: message }),
  });
  await consumer.start();
  const timer = setTimeout(() => {
    process.stderr.write(`callbox fleet: upload of ${o.recordingId} not complete within ${o.timeoutMs / 1000} s (run again to resume)\n`);
    finish(1);
  }, o.timeoutMs);
  try {
    const [reply] = await consumer.command(
      o.device,
      'recording-upload',
      { recordingId: o.recordingId, uploadId },
      { timeoutMs: Math.min(o.timeoutMs, 30_000) },
    );
    o.print(reply);
    if (!reply?.ok) return 1;
    const r = reply.result as { uploadId: string; status: string };
    const done = await o.store.getUpload(o.device, r.uploadId);
    if (r.status === 'done' && done?.complete) {
      o.print({ ...done, uploadId: r.uploadId, complete: true });
      return 0;
    }
    if (r.status !== 'sending') return 1;
    return await ended;
  } finally {
    clearTimeout(timer);
    await consumer.stop();
  }
}
