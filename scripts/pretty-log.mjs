// Reads the box's JSON log lines (pino) on stdin and prints them readable for a person at a
// terminal: time, level, namespace, message, then the other fields. Non-JSON lines pass through.
import { createInterface } from 'node:readline';

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
const tty = process.stdout.isTTY;

// Ctrl-C reaches the box and this filter together: keep reading until the box has stopped.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let o;
  try {
    o = JSON.parse(line);
  } catch {
    console.log(line);
    return;
  }
  const { level, time, msg, ns, app: _app, pid: _pid, hostname: _h, ...rest } = o;
  const t = new Date(time).toISOString().slice(11, 23);
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const text = `${t} ${LEVELS[level] ?? level} ${ns ? `[${ns}] ` : ''}${msg}${extra}`;
  console.log(tty && COLORS[level] ? `${COLORS[level]}${text}\x1b[0m` : text);
});
