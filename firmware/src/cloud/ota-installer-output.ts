/**
 * Reading what the detached installer (`callbox ota install`) leaves behind for its OTA job
 * (ota-jobs.ts): the JSON job updates it appends to its output file, whether its process still
 * lives, and the last line of its error output.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { JobUpdate } from '../ota/jobs.js';

/**
 * The complete lines written after byte `offset`: parsed updates, lines that are not JSON (cut to
 * 200 characters) and the offset after the last complete line; null when nothing new is complete.
 */
export function readInstallerLines(path: string, offset: number): { updates: JobUpdate[]; bad: string[]; offset: number } | null {
  let text = '';
  try {
    const size = statSync(path).size;
    if (size <= offset) return null;
    const buf = Buffer.alloc(size - offset);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, offset);
    } finally {
      closeSync(fd);
    }
    text = buf.toString('utf8');
  } catch {
    return null;
  }
  const end = text.lastIndexOf('\n');
  if (end < 0) return null;
  const updates: JobUpdate[] = [];
  const bad: string[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    try {
      updates.push(JSON.parse(line) as JobUpdate);
    } catch {
      bad.push(line.slice(0, 200));
    }
  }
  return { updates, bad, offset: offset + Buffer.byteLength(text.slice(0, end + 1)) };
}

export function alive(pid: number | null): boolean {
  if (pid === null || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The last non-empty line of a file (the installer's error message), at most 500 characters. */
export function tail(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    return (lines.at(-1) ?? '').slice(0, 500);
  } catch {
    return '';
  }
}
