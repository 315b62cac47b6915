/** CLI text and exit codes (sysexits.h where one fits). */
declare const __CALLBOX_VERSION__: string | undefined;

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  /** EX_USAGE: bad command line. */
  USAGE: 64,
  /** EX_CONFIG: the config file is invalid; the box refused to start. */
  CONFIG: 78,
  /** EX_TEMPFAIL: a restart was requested (cloud cmd/reboot, desired config): the service manager starts the box again. */
  RESTART: 75,
} as const;

export function version(): string {
  return typeof __CALLBOX_VERSION__ === 'string' ? __CALLBOX_VERSION__ : '0.0.0-dev';
}

export function versionString(): string {
  return `callbox ${version()} (node ${process.version}, ${process.platform}-${process.arch})`;
}

export function usage(): string {
  return `callbox — call-center box firmware

Usage:
  callbox run [--sim] [--demo[=CALLS_PER_HOUR]] [--port N] [--host ADDR] [--data-dir DIR]
  callbox dsp dtmf|cid|tones FILE.wav [--profile cn|us|etsi]   (one JSON document on stdout)
  callbox fleet consume|devices|records|cmd|config …   the reference cloud consumer (callbox fleet help)
  callbox provision --port /dev/ttyACM0 info|selftest|run|logs|reset …   USB provisioning (callbox provision help)
  callbox hw selftest [--sim] [--port ID]… [--digits D]   bench test of the telephony HAT, port by port (callbox hw help)
  callbox hw bypass release|guard …   the power-fail bypass relay after a stop or crash (callbox hw bypass help)
  callbox release keygen|sign|verify …   signed OTA bundles (callbox release help; docs/ota.md)
  callbox ota boot|install --root ROOT …   launcher step (boot counter, rollback); install a bundle with health check (callbox release help)
  callbox version [--verbose]   the version alone (--verbose: with Node's version and platform)
  callbox help

run options:
  --sim             use the simulated hardware (2 FXO lines, 4 FXS extensions with simulated
                    agents, 1 GSM modem by default) whatever the config says
  --demo=N          simulated customers call in, N calls per hour (default 120)
  --port N          HTTP port (env CALLBOX_HTTP_PORT, default 8080; 0 picks a free one)
  --host ADDR       HTTP bind address (env CALLBOX_HTTP_HOST, default 127.0.0.1)
  --data-dir DIR    config, records and recordings (env CALLBOX_DATA_DIR, default ./var)
  --https-port N    also serve HTTPS on port N with the box's self-signed certificate (env
                    CALLBOX_HTTPS_PORT, else config http.https; off by default; 0 picks a free
                    one; "off" turns it off whatever the config says; docs/https.md)

Environment:
  CALLBOX_ADMIN_PASSWORD  seeds the owner account "owner" (demos, tests); otherwise the first
                          boot prints a one-time setup code
  CALLBOX_LOG_LEVEL       trace|debug|info|warn|error (default info)
  CALLBOX_DEMO            same as --demo
  CALLBOX_HTTPS_REDIRECT  1: plain-HTTP requests from other machines go to HTTPS (loopback never);
                          0: not (overrides config http.https.redirect)
  CALLBOX_MQTT_URL        cloud broker (mqtt://host:1883, mqtts://…); overrides cloud.url and turns the cloud on
  CALLBOX_DEVICE_ID       device id under cb/v1/{deviceId}/ (overrides cloud.deviceId)

Exit codes: 0 ok, 1 failure, 64 bad command line, 75 restart requested (run the box under a
service manager that restarts it: systemd Restart=on-failure), 78 invalid config.
`;
}
