import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import type { SelectedPair } from '../../test/netlab/harness/iceStats';
import { LabEnvironment } from '../../test/netlab/harness/labEnvironment';
import type { Block } from '../../test/netlab/harness/routerFirewall';
import { formatTable, summarize, type SampleSummary } from '../call-setup/sampleSummary';
import { recordCallTimes } from './callTimes';
import {
  timeAddressChangeRecovery,
  timeLinkDropRecovery,
  timeServerRestartHangUp,
} from './recoveryTimes';
import { timeLabCall } from './timeLabCall';

/**
 * Connectivity: in the namespace lab of test/netlab (two Chromiums in their own namespaces,
 * coturn, the server, a router with nftables), how long a call takes from the callee applying
 * the offer to connected and to its first decoded frame, directly and relayed through coturn
 * over UDP, TCP and TLS (the router's rules force each path). Calls rotate through the paths
 * round by round, so any drift of the machine hits all alike.
 */
const calls = Number(process.env.PARLEY_BENCH_CALLS ?? 7);
const resultFile = join(REPO_ROOT, 'bench', 'results', 'connectivity.json');
const LINK_DOWN_MS = 5_000;

interface Path {
  name: string;
  blocks: Block[];
  /** Whether the callee's selected pair is the path this row claims to measure. */
  took(pair: SelectedPair): boolean;
}

const relayOver = (protocol: string) => (pair: SelectedPair) =>
  pair.local.candidateType === 'relay' && pair.local.relayProtocol === protocol;

const paths: Path[] = [
  {
    name: 'direct',
    blocks: [],
    took: (pair) => pair.local.candidateType === 'host' && pair.remote.candidateType === 'host',
  },
  {
    name: 'relayed UDP',
    blocks: ['peers-all'],
    took: (pair) =>
      (pair.local.candidateType === 'relay' && pair.local.relayProtocol === 'udp') ||
      (pair.local.candidateType !== 'relay' && pair.remote.candidateType === 'relay'),
  },
  { name: 'relayed TCP', blocks: ['peers-all', 'turn-udp'], took: relayOver('tcp') },
  { name: 'relayed TLS', blocks: ['peers-all', 'turn-udp', 'turn-tcp'], took: relayOver('tls') },
];

async function main(): Promise<void> {
  if (!Number.isInteger(calls) || calls < 1) {
    throw new Error(
      `PARLEY_BENCH_CALLS must be a positive integer, got ${process.env.PARLEY_BENCH_CALLS}`,
    );
  }
  if (process.getuid?.() !== 0) {
    console.log('connectivity: skipped, the namespace lab needs root (ip netns, nftables)');
    return;
  }
  // One pair calls back to back dozens of times: more than the server's redial limit allows a
  // person, so this bench lifts the invite limits.
  const lab = await LabEnvironment.start({
    serverFlags: ['--invite-burst', '10000', '--redial-burst', '10000'],
  });
  try {
    const options = { initScripts: [recordCallTimes] };
    const caller = await lab.registeredClient('a', 'bench-caller', 'Bench Caller', options);
    const callee = await lab.registeredClient('b', 'bench-callee', 'Bench Callee', options);
    // Contacts: only the router's rules decide whether a call can go direct.
    await caller.addContact(callee.username);
    await callee.addContact(caller.username);

    // One untimed call first: the first call of a page pays for loading codecs and the worker.
    await timeLabCall(caller, callee);

    const connected = new Map<string, number[]>(paths.map((path) => [path.name, []]));
    const firstFrame = new Map<string, number[]>(paths.map((path) => [path.name, []]));
    for (let round = 1; round <= calls; round++) {
      for (const path of paths) {
        lab.network.firewall.restore();
        for (const block of path.blocks) lab.network.firewall.block(block);
        const timing = await timeLabCall(caller, callee);
        if (!path.took(timing.pair)) {
          throw new Error(
            `${path.name}: the call took another path: ${JSON.stringify(timing.pair)}`,
          );
        }
        connected.get(path.name)!.push(timing.connectedMs);
        firstFrame.get(path.name)!.push(timing.firstFrameMs);
        console.log(
          `round ${round}/${calls} ${path.name}: connected ${timing.connectedMs} ms, ` +
            `first frame ${timing.firstFrameMs} ms`,
        );
      }
    }
    lab.network.firewall.restore();

    // Recovery: a direct call whose caller's link drops for 5 s, whose caller moves to another
    // subnet, and a server killed mid-call.
    const linkDrop: number[] = [];
    const addressChange: number[] = [];
    const serverRestart: number[] = [];
    const calleeReasons: string[] = [];
    for (let round = 1; round <= calls; round++) {
      linkDrop.push(await timeLinkDropRecovery(lab, caller, callee, LINK_DOWN_MS));
      addressChange.push(await timeAddressChangeRecovery(lab, caller, callee));
      const restart = await timeServerRestartHangUp(lab, caller, callee);
      serverRestart.push(restart.ms);
      calleeReasons.push(restart.calleeReason);
      console.log(
        `recovery ${round}/${calls}: video back ${linkDrop.at(-1)} ms after the link, ` +
          `${addressChange.at(-1)} ms after the address change, ` +
          `hang-up through ${restart.ms} ms after the server restart (callee saw ${restart.calleeReason})`,
      );
    }
    const recoveryRows = {
      [`link back after ${LINK_DOWN_MS / 1000} s down -> video decoded on both sides`]:
        summarize(linkDrop),
      'caller moved to a new subnet -> video decoded on both sides (ICE restart)':
        summarize(addressChange),
      'server restarted (SIGKILL) -> hang-up ends the call on the other side':
        summarize(serverRestart),
    };

    const summaries = (samples: Map<string, number[]>) =>
      Object.fromEntries([...samples].map(([name, values]) => [name, summarize(values)]));
    const ratiosToDirect = (rows: Record<string, SampleSummary>) =>
      Object.fromEntries(
        Object.entries(rows)
          .filter(([name]) => name !== 'direct')
          .map(([name, row]) => [
            `ratio ${name}/direct (medians)`,
            row.medianMs / rows.direct!.medianMs,
          ]),
      );
    const connectedRows = summaries(connected);
    const firstFrameRows = summaries(firstFrame);
    const result = {
      benchmark: 'connectivity',
      measures:
        "on the callee, from applying the caller's offer to connected and to the first decoded remote video frame",
      date: new Date().toISOString(),
      calls,
      offerToConnected: { ...connectedRows, ratiosToDirect: ratiosToDirect(connectedRows) },
      offerToFirstFrame: { ...firstFrameRows, ratiosToDirect: ratiosToDirect(firstFrameRows) },
      recovery: { ...recoveryRows, calleeReasonsAfterRestart: calleeReasons },
    };
    mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\noffer -> connected (${calls} calls each)`);
    console.log(formatTable(connectedRows, ratiosToDirect(connectedRows)));
    console.log(`\noffer -> first decoded remote video frame (${calls} calls each)`);
    console.log(formatTable(firstFrameRows, ratiosToDirect(firstFrameRows)));
    console.log(`\nrecovery (${calls} each)`);
    console.log(formatTable(recoveryRows, {}));
    console.log(`written to ${resultFile}`);
  } finally {
    await lab.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
