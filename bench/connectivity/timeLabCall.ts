import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../../test/e2e/harness/parleyClient';
import { pollUntil } from '../../test/e2e/harness/pollUntil';
import {
  countPeerConnections,
  firstVideoFrameAt,
  watchFirstVideoFrame,
} from '../../test/e2e/harness/peerConnectionTracker';
import { readSelectedPair, type SelectedPair } from '../../test/netlab/harness/iceStats';
import { hangUp } from '../../test/netlab/harness/labCall';
import { readCallTimes } from './callTimes';

export interface LabCallTiming {
  /** The callee applies the caller's offer -> its connection is `connected`. */
  connectedMs: number;
  /** The callee applies the caller's offer -> its first decoded remote video frame. */
  firstFrameMs: number;
  /** The callee's selected pair, to check that the call took the path it was meant to. */
  pair: SelectedPair;
}

/**
 * One video call between contacts in the lab, timed on the callee's side from the moment its
 * connection applies the offer (when it starts ringing: the call connects while it rings, and the
 * accept is clicked at once) to connected and to the first decoded frame. The caller hangs up;
 * both end on their contacts screen.
 */
export async function timeLabCall(
  caller: ParleyClient,
  callee: ParleyClient,
): Promise<LabCallTiming> {
  const index = await countPeerConnections(callee.page);
  await caller.callContact(callee.username);
  await callee.waitForIncomingCall();
  await watchFirstVideoFrame(callee.page, index);
  await callee.click(testIds.acceptVideoButton);
  const frameAt = await firstVideoFrameAt(callee.page);
  const times = await pollUntil(
    () => readCallTimes(callee.page, index),
    (read) => read.connectedAt !== null && read.offerAppliedAt !== null,
    "the callee's connection to be connected",
  );
  const pair = await pollUntil(
    () => readSelectedPair(callee.page),
    (selected) => selected !== null,
    "the callee's selected candidate pair",
  );
  await caller.waitForInCall();
  await hangUp(caller, callee);
  return {
    connectedMs: times.connectedAt! - times.offerAppliedAt!,
    firstFrameMs: frameAt - times.offerAppliedAt!,
    pair: pair!,
  };
}
