// Crash-consistency harness (`make chaos TRIALS=N`, docs/RELIABILITY.md): runs the production
// bundle on the sim driver with REST traffic (simulated calls, customers, tickets, orders, config
// changes, SMS out) and a fake AT modem on gsm1 over a socat pty whose network texts the shop (SMS
// in; chaos/sms-network.mjs: the modem and its SIM outlive every kill), SIGKILLs the box at a
// random moment, restarts it on the same data dir and checks that the database opens, every record
// acknowledged before the kill is there (an SMS in: deleted from the SIM), no call is left active,
// recordings are finalized or repaired, the config is intact and the outbox has a row for every
// acknowledged change. The restarted box carries the next trial's traffic, so a trial costs one
// start. At the end: the SIM empty, every SMS the network sent in the database exactly once, every
// SMS out sent. Writes chaos-report.json (CHAOS_REPORT=path) and ends with
// "crash trials: N, records lost: M"; exit 1 when a record is lost or a check fails.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killBox, startBox, writeChaosConfig } from './chaos/box-process.mjs';
import { checkCalls, checkConfig, checkDatabase, checkOutbox, checkRecordings, checkRecords, openReadOnly } from './chaos/checks.mjs';
import { checkSmsIn, finalSmsIn, finalSmsOut } from './chaos/sms-checks.mjs';
import { runSmsOut, startSmsNetwork } from './chaos/sms-network.mjs';
import { ensureProduct, runTraffic } from './chaos/traffic.mjs';

const TRIALS = Number(process.env.TRIALS || 200);
const REPORT = process.env.CHAOS_REPORT || 'chaos-report.json';
const KILL_MS = [Number(process.env.CHAOS_KILL_MIN_MS || 200), Number(process.env.CHAOS_KILL_MAX_MS || 5000)];
const started = performance.now();

const dir = mkdtempSync(join(tmpdir(), 'callbox-chaos-'));
writeChaosConfig(dir);
const state = { productId: null, config: { acked: 0, sent: 0 } };
const recordingsSeen = new Set();
const recordingStates = {};
const trials = [];
const net = await startSmsNetwork();
const boxEnv = { env: { CALLBOX_MODEM: net.boxPath } };
const smsOutCounter = { n: 0 };
net.boxStarted();
let box = await startBox(dir, boxEnv);
const firstAcks = [];
await ensureProduct(box, state, firstAcks);

let aborted = null;
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.log(`${signal}: stopping after this trial`);
    stopRequested = true;
  });
}
for (let trial = 1; trial <= TRIALS && !stopRequested; trial++) {
  const acked = trial === 1 ? firstAcks : [];
  const stopTraffic = runTraffic(box, state, acked);
  const stopSmsOut = runSmsOut(box, acked, smsOutCounter);
  const killAfterMs = KILL_MS[0] + Math.floor(Math.random() * (KILL_MS[1] - KILL_MS[0]));
  await sleep(killAfterMs);
  await killBox(box);
  net.boxKilled();
  const killedLogs = box.logs; // its last lines: kept with the trial when an SMS goes missing
  await stopTraffic();
  await stopSmsOut();
  const t0 = performance.now();
  let startError = null;
  // Up to 3 attempts: a start that fails on something outside the box (e.g. node_modules being
  // reinstalled under it) is retried; a database that cannot open fails all three.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      net.boxStarted();
      box = await startBox(dir, boxEnv);
      startError = null;
      break;
    } catch (e) {
      startError = e;
      console.log(`trial ${trial}: start attempt ${attempt} failed: ${e.message.split('\n').slice(0, 2).join(' ')}`);
      await sleep(3000);
    }
  }
  if (startError) {
    const e = startError;
    aborted = `trial ${trial}: the box did not start again: ${e.message}`;
    trials.push({ trial, killAfterMs, acknowledged: acked, found: [], lost: acked, problems: [aborted] });
    break;
  }
  const restartMs = performance.now() - t0;
  // SMS in acknowledged so far: deleted from the SIM (before the kill, or by this start's drain)
  acked.push(...net.takeAcks());
  const db = openReadOnly(dir);
  let problems;
  let result;
  try {
    problems = [
      ...checkDatabase(db),
      ...(await checkCalls(box, db)),
      ...checkRecordings(dir, db, recordingsSeen, recordingStates),
      ...(await checkConfig(box, dir, state.config)),
      ...checkOutbox(db, acked),
    ];
    result = await checkRecords(
      box,
      acked.filter((a) => a.kind !== 'smsIn'),
    );
    const smsIn = await checkSmsIn(
      box,
      db,
      acked.filter((a) => a.kind === 'smsIn'),
    );
    result.found.push(...smsIn.found);
    result.lost.push(...smsIn.lost);
    for (const d of smsIn.duplicates) problems.push(`SMS ${d.id} (${d.tag}) held ${d.tickets.length} times: ${d.tickets.join(', ')}`);
  } catch (e) {
    // The restarted box stopped answering during the checks: record why (its exit) and stop.
    const exit = `exit code ${box.proc.exitCode}, signal ${box.proc.signalCode}`;
    aborted = `trial ${trial}: check failed: ${e.message} (${e.cause?.message ?? ''}); the box: ${exit}; its last log lines:\n${box.logs.slice(-15).join('\n')}`;
    console.log(aborted);
    trials.push({ trial, killAfterMs, acknowledged: acked, found: [], lost: acked, problems: [aborted] });
    break;
  } finally {
    db.close();
  }
  const checkMs = performance.now() - t0;
  trials.push({
    trial,
    killAfterMs,
    acknowledged: acked,
    found: result.found,
    lost: result.lost,
    problems,
    restartMs: Math.round(restartMs),
    checkMs: Math.round(checkMs),
    // the killed box's last modem, SMS and ticket lines when an SMS in was lost
    ...(result.lost.some((l) => l.kind === 'smsIn') ? { killedBoxLog: killedLogs.filter((l) => /modem|"sms"|SMS|ticket/.test(l)) } : {}),
  });
  const kinds = {};
  for (const a of acked) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
  console.log(
    `trial ${trial}/${TRIALS}: killed after ${killAfterMs} ms, acknowledged ${acked.length} ${JSON.stringify(kinds)}, lost ${result.lost.length}, problems ${problems.length}, restart ${Math.round(restartMs)} ms, restart+check ${Math.round(checkMs)} ms`,
  );
  for (const p of problems) console.log(`  problem: ${p}`);
  for (const l of result.lost)
    console.log(`  lost: ${l.kind} ${l.id}${l.why ? ` (${l.tag}: ${l.why}; deleted from the SIM by ${l.deleted})` : ''}`);
}

// Last pass: every record acknowledged in any trial is still there after all the kills.
// The customers stop texting; the SIM must empty and every SMS sent reach the database once.
await net.stopInbound();
const sms = aborted ? null : await finalSms();
const all = trials.flatMap((t) => t.acknowledged);
const final = aborted
  ? { found: [], lost: [] }
  : await checkRecords(
      box,
      all.filter((a) => a.kind !== 'smsIn'),
    );
if (box.proc.exitCode === null && box.proc.signalCode === null) {
  box.proc.kill('SIGTERM');
  await box.exited;
}
await net.close();
const lostIds = new Set([...trials.flatMap((t) => t.lost), ...final.lost, ...(sms?.lostAcked ?? [])].map((a) => a.id));
const problemCount = trials.reduce((n, t) => n + t.problems.length, 0) + (sms?.problems.length ?? 0);
const restarts = trials
  .map((t) => t.checkMs)
  .filter((x) => x !== undefined)
  .sort((a, b) => a - b);
const pct = (q) => restarts[Math.min(restarts.length - 1, Math.floor(q * restarts.length))] ?? null;
const byKind = {};
for (const a of all) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
const report = {
  trials: trials.length,
  acknowledged: all.map((a) => a.id),
  found: all.filter((a) => !lostIds.has(a.id)).map((a) => a.id),
  lost: [...lostIds],
  problems: problemCount,
  aborted,
  byKind,
  sms: sms?.summary ?? null,
  configChanges: state.config,
  recordings: recordingStates,
  restartAndCheckMs: { median: pct(0.5), p95: pct(0.95), max: restarts.at(-1) ?? null },
  wallSeconds: Math.round((performance.now() - started) / 1000),
  perTrial: trials,
};
writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
if (process.env.CHAOS_KEEP) console.log(`data dir kept: ${dir}`);
else rmSync(dir, { recursive: true, force: true });
console.log(
  `acknowledged ${all.length} records ${JSON.stringify(report.byKind)}, recordings ${JSON.stringify(recordingStates)}, check problems ${problemCount}, restart+check median ${report.restartAndCheckMs.median} ms, p95 ${report.restartAndCheckMs.p95} ms, ${report.wallSeconds} s in all`,
);
if (sms) console.log(`SMS ${JSON.stringify(sms.counts)}`);
for (const p of sms?.problems ?? []) console.log(`  problem: ${p}`);
console.log(`crash trials: ${trials.length}, records lost: ${lostIds.size}`);
process.exit(lostIds.size > 0 || problemCount > 0 || aborted || trials.length < TRIALS ? 1 : 0);

/**
 * The SMS end checks: every message the network sent (acknowledged late ones too) found once, none
 * left on the SIM; every SMS out acknowledged sent. Late acknowledgements join the last trial.
 */
async function finalSms() {
  trials.at(-1)?.acknowledged.push(...net.takeAcks());
  const acks = trials.flatMap((t) => t.acknowledged);
  const db = openReadOnly(dir);
  let inbound;
  try {
    inbound = await finalSmsIn(box, db, net);
  } finally {
    db.close();
  }
  trials.at(-1)?.acknowledged.push(...net.takeAcks());
  const outbound = await finalSmsOut(
    box,
    net,
    acks.filter((a) => a.kind === 'smsOut'),
  );
  const problems = [];
  for (const p of inbound.leftOnSim) problems.push(`left on the SIM: ${JSON.stringify(p)}`);
  const notArrived = inbound.lost.filter((m) => !m.acked);
  for (const m of notArrived) problems.push(`SMS ${m.id} (${m.tag}) never reached the database (${m.why})`);
  for (const d of inbound.duplicates) problems.push(`SMS ${d.id} (${d.tag}) held ${d.tickets.length} times: ${d.tickets.join(', ')}`);
  for (const m of outbound.notSent) problems.push(`SMS out ${m.id} (${m.tag}) not sent: ${m.status}, ${m.copies} copies at the modem`);
  const counts = {
    networkSent: inbound.sentByNetwork,
    inFound: inbound.found.length,
    inLost: inbound.lost.filter((m) => m.acked).length,
    inNotArrived: notArrived.length,
    inDuplicates: inbound.duplicates.length,
    leftOnSim: inbound.leftOnSim.length,
    outAcknowledged: outbound.sent.length + outbound.notSent.length,
    outSent: outbound.sent.length,
    outSentTwice: outbound.resent.length,
    outNotSent: outbound.notSent.length,
    simDeletes: net.deletes,
  };
  const summary = {
    ...counts,
    duplicates: inbound.duplicates,
    lost: inbound.lost,
    left: inbound.leftOnSim,
    notSent: outbound.notSent,
    resent: outbound.resent,
  };
  return { problems, counts, summary, lostAcked: inbound.lost.filter((m) => m.acked) };
}
