/**
 * systemd notifications (Type=notify, WatchdogSec=) without a native addon. sd_notify is a datagram
 * on an AF_UNIX socket ($NOTIFY_SOCKET): node:dgram has only UDP and node:net only stream sockets,
 * so the box runs systemd's own `systemd-notify` for each message. The unit needs
 * `NotifyAccess=all` (the sender is a child, not the main process); systemd-notify waits until the
 * manager has read the message (a barrier), so it is not lost when the child exits at once.
 *
 * READY=1 once the box serves, WATCHDOG=1 every WATCHDOG_USEC/2 while the event loop runs (a hung
 * loop stops the pings: systemd kills and restarts the box), STOPPING=1 on shutdown. Nothing happens
 * without $NOTIFY_SOCKET (a shell, the tests, another service manager).
 */
import { execFile } from 'node:child_process';

export interface SdNotifier {
  ready(status: string): void;
  /** STOPPING=1; the watchdog pings stop. */
  stopping(): void;
}

export interface SdNotifyOptions {
  env: NodeJS.ProcessEnv;
  /** One line for `systemctl status` with each ping (e.g. the health status); optional. */
  statusText?: () => string;
  log?: { warn(o: object, m: string): void };
}

export function sdNotify(o: SdNotifyOptions): SdNotifier | null {
  if (!o.env.NOTIFY_SOCKET) return null;
  let failedOnce = false;
  const send = (args: string[]) => {
    execFile('systemd-notify', args, { env: o.env, timeout: 10_000 }, (err) => {
      if (!err || failedOnce) return;
      failedOnce = true; // said once: a box without systemd-notify would repeat it every ping
      o.log?.warn({ err: err.message, args }, 'systemd-notify failed');
    });
  };
  let timer: NodeJS.Timeout | null = null;
  const usec = Number(o.env.WATCHDOG_USEC);
  const watchdogFor = o.env.WATCHDOG_PID ? Number(o.env.WATCHDOG_PID) : process.pid;
  const startWatchdog = () => {
    if (!Number.isFinite(usec) || usec <= 0 || watchdogFor !== process.pid || timer) return;
    timer = setInterval(() => send(['WATCHDOG=1', ...(o.statusText ? [`STATUS=${o.statusText()}`] : [])]), Math.max(100, usec / 2000));
    timer.unref();
  };
  return {
    ready(status) {
      send(['--ready', `--status=${status}`]);
      startWatchdog();
    },
    stopping() {
      if (timer) clearInterval(timer);
      timer = null;
      send(['STOPPING=1']);
    },
  };
}
