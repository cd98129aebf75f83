// The performance targets of the signaling server, call setup and end-to-end encryption, read
// from the result files the benchmarks of this run wrote: one table (and targets.json) saying
// what each target is, what was measured, and whether it was met. A target whose benchmark did
// not run this time is left out.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A result file written since `since` (ms), parsed; null when there is none from this run. */
function resultOf(results, name, since) {
  const file = join(results, `${name}.json`);
  if (!existsSync(file) || statSync(file).mtimeMs < since) return null;
  return JSON.parse(readFileSync(file, 'utf8'));
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function signalingRows(signaling) {
  const rows = [];
  const atRate = (rate) => signaling.phases.find((phase) => phase.setupsPerSecond === rate);
  const limit = signaling.openFileLimit.server.soft;
  // The default run holds 5,000 clients; PARLEY_BENCH_CLIENTS=20000 tries the target's number.
  const tried = signaling.clientsAsked >= 20_000;
  rows.push({
    target: 'signed-in clients in one server process (20,000 or the open-file limit)',
    measured: `${signaling.clients} of ${signaling.clientsAsked} asked (open-file limit ${limit})`,
    met: tried ? signaling.clients >= Math.min(20_000, limit - 100) : 'not tried',
  });
  rows.push({
    target: 'server RSS under 400 MiB with them signed in',
    measured: `${signaling.memory.rssSignedInMiB} MiB (${signaling.memory.rssEndMiB} MiB after the load)`,
    met: signaling.memory.rssSignedInMiB < 400,
  });
  for (const [rate, limitMs] of [
    [250, 20],
    [500, 50],
  ]) {
    const phase = atRate(rate);
    if (!phase) continue;
    rows.push({
      target: `ring latency p99 under ${limitMs} ms at ${rate} setups/s`,
      measured: `${fixed(phase.ring.p99Ms, 2)} ms (${signaling.clients} clients, ${phase.completed} of ${phase.offered} done)`,
      met: phase.ring.p99Ms < limitMs && phase.completed === phase.offered,
    });
  }
  const busiest = signaling.phases.at(-1);
  if (busiest) {
    rows.push({
      target: `server CPU per full setup under 0.7 ms (at ${busiest.setupsPerSecond}/s)`,
      measured: `${fixed(busiest.serverCpuMsPerSetup, 3)} ms`,
      met: busiest.serverCpuMsPerSetup < 0.7,
    });
  }
  const { parley, echo } = signaling.lookups;
  const ratio = parley.cpuMicrosecondsPerMessage / echo.cpuMicrosecondsPerMessage;
  rows.push({
    target: 'CPU per small message within 2x of bare ws (same generator, same run)',
    measured: `${fixed(ratio, 2)}x (${parley.cpuMicrosecondsPerMessage} against ${echo.cpuMicrosecondsPerMessage} µs)`,
    met: ratio <= 2,
  });
  return rows;
}

/**
 * Limited by Ed25519 and fsync: those two make up at least half of the server's time per
 * registration and per sign-in (its CPU, plus the fsync wait that blocks its event loop).
 */
function groupCommitRow(groupCommit) {
  const limits = groupCommit.limits;
  return {
    target: 'registrations and sign-ins limited by Ed25519 and fsync (at least half the time)',
    measured: limits
      .map(
        (limit) =>
          `${limit.phase} ${fixed(limit.share * 100, 0)}% (${fixed(limit.ed25519MsPerOp + limit.fsyncMsPerOp, 3)} of ${fixed(limit.serverCpuMsPerOp + limit.fsyncMsPerOp, 3)} ms)`,
      )
      .join(', '),
    met: limits.every((limit) => limit.share >= 0.5),
  };
}

function callSetupRow(callSetup) {
  return {
    target: "accept -> first decoded frame at most 0.8x the bare page's, same camera size",
    measured: `${fixed(callSetup.ratioOfMedians, 2)}x (${callSetup.parley.medianMs} against ${callSetup.baseline.medianMs} ms, medians of ${callSetup.calls})`,
    met: callSetup.ratioOfMedians <= 0.8,
  };
}

function e2eeRow(e2ee) {
  const withWorker = e2ee.call.modes.find((mode) => mode.mode === 'e2ee');
  return {
    target: 'E2EE call CPU within 1.05x of the same call without the worker',
    measured: `${fixed(withWorker.ratioToPlain, 3)}x`,
    met: withWorker.ratioToPlain <= 1.05,
  };
}

export function printTargetSummary(root, since) {
  const results = join(root, 'bench', 'results');
  const signaling = resultOf(results, 'signaling', since);
  const callSetup = resultOf(results, 'call-setup', since);
  const e2ee = resultOf(results, 'e2ee', since);
  const groupCommit = resultOf(results, 'group-commit', since);
  const rows = [
    ...(signaling ? signalingRows(signaling) : []),
    ...(groupCommit ? [groupCommitRow(groupCommit)] : []),
    ...(callSetup ? [callSetupRow(callSetup)] : []),
    ...(e2ee ? [e2eeRow(e2ee)] : []),
  ];
  if (rows.length === 0) return;
  const cells = [
    ['target', 'measured', 'met'],
    ...rows.map((row) => [
      row.target,
      row.measured,
      typeof row.met === 'string' ? row.met : row.met ? 'yes' : 'NO',
    ]),
  ];
  const widths = [0, 1].map((column) => Math.max(...cells.map((cell) => cell[column].length)));
  console.log('\n== targets');
  for (const [target, measured, met] of cells) {
    console.log(`${target.padEnd(widths[0])}  ${measured.padEnd(widths[1])}  ${met}`);
  }
  const file = join(results, 'targets.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
  console.log(`written to ${file}`);
}
