import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { becomeContacts } from '../../test/e2e/harness/callSetup';
import { E2eEnvironment } from '../../test/e2e/harness/e2eEnvironment';
import { trackPeerConnectionsIn } from '../../test/e2e/harness/peerConnectionTracker';
import { REPO_ROOT } from '../../test/e2e/harness/rendererBuild';
import { timeBaselineCall } from './baselineCall';
import { recordCameraOpens, recordCameraOpensIn } from './cameraOpenTimes';
import { timeParleyCall } from './parleyCall';
import { formatTable, summarize } from './sampleSummary';
import { formatStages, medianStages, type SetupStages } from './setupStages';
import { serveFolder } from './staticFolderServer';

/**
 * Call setup: from the callee's accept to the caller's first decoded remote video frame, Parley's
 * web client against two bare RTCPeerConnections, in one Chromium and one run. The bare page runs
 * twice: at the camera size Parley sent (the like-for-like reference: a bigger first key frame
 * takes longer to encode and decode) and at the camera's default size. Calls alternate between
 * the contenders so that any drift of the machine hits all alike.
 */
const calls = Number(process.env.PARLEY_BENCH_CALLS ?? 20);
const resultFile = join(REPO_ROOT, 'bench', 'results', 'call-setup.json');

async function main(): Promise<void> {
  if (!Number.isInteger(calls) || calls < 1) {
    throw new Error(
      `PARLEY_BENCH_CALLS must be a positive integer, got ${process.env.PARLEY_BENCH_CALLS}`,
    );
  }
  // One pair calls back to back `calls` times: far more than the server's redial limit allows a
  // person, so this bench lifts the invite limits.
  const unlimited = { burst: calls, everyMs: 1 };
  const env = await E2eEnvironment.start({
    inviteLimits: { perCaller: unlimited, perPair: unlimited },
  });
  const baselineSite = await serveFolder(join(REPO_ROOT, 'bench', 'call-setup', 'baseline'));
  try {
    const caller = await env.registeredClient('bench-caller', 'Bench Caller');
    const callee = await env.registeredClient('bench-callee', 'Bench Callee', {
      initScripts: [recordCameraOpens],
    });
    // Contacts: the callee's device connects while it rings (no relay needed to hide its address).
    await becomeContacts(caller, callee);
    const baselineContext = await env.browser.newContext();
    await trackPeerConnectionsIn(baselineContext);
    await recordCameraOpensIn(baselineContext);
    const baselinePage = await baselineContext.newPage();
    await baselinePage.goto(baselineSite.url);

    const parleyMs: number[] = [];
    const sameSizeMs: number[] = [];
    const defaultSizeMs: number[] = [];
    const stages: Record<'parley' | 'sameSize' | 'defaultSize', SetupStages[]> = {
      parley: [],
      sameSize: [],
      defaultSize: [],
    };
    let sentVideo = { width: 0, height: 0 };
    for (let call = 1; call <= calls; call++) {
      const parley = await timeParleyCall(caller, callee);
      parleyMs.push(parley.setupMs);
      stages.parley.push(parley.stages);
      sentVideo = parley.sentVideo;
      const sameSize = { width: { ideal: sentVideo.width }, height: { ideal: sentVideo.height } };
      const sameSizeCall = await timeBaselineCall(baselinePage, sameSize);
      sameSizeMs.push(sameSizeCall.setupMs);
      stages.sameSize.push(sameSizeCall.stages);
      const defaultSizeCall = await timeBaselineCall(baselinePage, true);
      defaultSizeMs.push(defaultSizeCall.setupMs);
      stages.defaultSize.push(defaultSizeCall.stages);
      console.log(
        `call ${call}/${calls}: Parley ${parley.setupMs} ms, baseline ${sameSizeMs.at(-1)} ms ` +
          `(${sentVideo.width}x${sentVideo.height}), baseline ${defaultSizeMs.at(-1)} ms (default size)`,
      );
    }

    const size = `${sentVideo.width}x${sentVideo.height}`;
    const parley = summarize(parleyMs);
    const baseline = summarize(sameSizeMs);
    const baselineDefaultSize = summarize(defaultSizeMs);
    const stageMedians = {
      Parley: medianStages(stages.parley),
      [`baseline ${size}`]: medianStages(stages.sameSize),
      'baseline default size': medianStages(stages.defaultSize),
    };
    const ratios = {
      [`ratio Parley/baseline, same camera size ${size} (medians)`]:
        parley.medianMs / baseline.medianMs,
      'ratio Parley/baseline at the camera default size (medians)':
        parley.medianMs / baselineDefaultSize.medianMs,
    };
    const result = {
      benchmark: 'call-setup',
      measures: "callee's accept to the caller's first decoded remote video frame",
      date: new Date().toISOString(),
      chromium: env.browser.version(),
      calls,
      parley: { ...parley, sentVideo },
      baseline: { ...baseline, video: size },
      baselineDefaultSize: { ...baselineDefaultSize, video: 'camera default' },
      ratioOfMedians: parley.medianMs / baseline.medianMs,
      ratioOfMediansToDefaultSize: parley.medianMs / baselineDefaultSize.medianMs,
      stageMediansMs: stageMedians,
      stagesMs: stages,
    };
    mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\ncall setup, accept -> first decoded remote video frame (${calls} calls each)`);
    console.log(
      formatTable(
        {
          Parley: parley,
          [`baseline ${size}`]: baseline,
          'baseline default size': baselineDefaultSize,
        },
        ratios,
      ),
    );
    console.log(`\nwhere the time goes (medians, ms; each boundary seen by a 5 ms stats poll)`);
    console.log(formatStages(stageMedians));
    console.log(`written to ${resultFile}`);
  } finally {
    await baselineSite.close();
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
