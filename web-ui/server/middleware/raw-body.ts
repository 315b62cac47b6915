/** The raw request body of an upload (CSV import, a prompt's audio, a backup), at most `limit` bytes (413 beyond). */
import type { IncomingMessage } from 'node:http';
import { CallboxError } from '../../../firmware/src/errors.js';

export async function rawBody(req: IncomingMessage, limit: number, what = 'request body'): Promise<Buffer> {
  const tooLarge = () => new CallboxError('PAYLOAD_TOO_LARGE', `${what} is larger than ${limit} bytes`, { limit });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
