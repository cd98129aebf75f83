import type { Page } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../../test/e2e/harness/parleyClient';
import { hangUp, startVideoCall } from '../../test/netlab/harness/labCall';
import type { LabEnvironment } from '../../test/netlab/harness/labEnvironment';

interface WatchedWindow {
  __trackedPeerConnections: RTCPeerConnection[];
  __videoResumedAt?: Promise<number>;
}

/**
 * Arms a watcher in the page (its newest connection, then whichever is newest as it polls, since
 * a rejoin makes a new one): resolves with the page's Date.now() once decoded video frames have
 * risen by a few since arming, over a selected pair with `viaAddress` on either end when given.
 * Arm it while video is stalled.
 */
function watchVideoResume(page: Page, viaAddress?: string): Promise<void> {
  return page.evaluate((via) => {
    const state = window as unknown as WatchedWindow;
    const decoded = async (): Promise<{
      pc: RTCPeerConnection | undefined;
      frames: number;
      via: boolean;
    }> => {
      const tracked = state.__trackedPeerConnections;
      const pc = tracked[tracked.length - 1];
      let frames = 0;
      const reports = new Map<string, Record<string, unknown>>();
      if (pc && pc.connectionState !== 'closed') {
        (await pc.getStats()).forEach((report: Record<string, unknown>) => {
          reports.set(String(report.id), report);
          if (report.type === 'inbound-rtp' && report.kind === 'video')
            frames += Number(report.framesDecoded ?? 0);
        });
      }
      const transport = [...reports.values()].find((report) => report.type === 'transport');
      const pair = reports.get(String(transport?.selectedCandidatePairId));
      const ends = [pair?.localCandidateId, pair?.remoteCandidateId].map(
        (id) => reports.get(String(id))?.address,
      );
      return { pc, frames, via: via === undefined || ends.includes(via) };
    };
    state.__videoResumedAt = (async () => {
      const start = await decoded();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const now = await decoded();
        const base = now.pc === start.pc ? start.frames : 0;
        if (now.via && now.frames >= base + 3) return Date.now();
      }
    })();
  }, viaAddress);
}

function videoResumedAt(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as WatchedWindow).__videoResumedAt!);
}

/**
 * A call whose caller's link drops for `downMs` (router end down): milliseconds from the link's
 * return to video decoding again on both sides (the later of the two).
 */
export async function timeLinkDropRecovery(
  lab: LabEnvironment,
  caller: ParleyClient,
  callee: ParleyClient,
  downMs: number,
): Promise<number> {
  await startVideoCall(caller, callee);
  await Promise.all([caller.waitForInboundMedia(), callee.waitForInboundMedia()]);
  lab.network.setLinkUp('a', false);
  try {
    // Let what was in flight drain before arming the watchers on a stalled stream.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await Promise.all([watchVideoResume(caller.page), watchVideoResume(callee.page)]);
    await new Promise((resolve) => setTimeout(resolve, downMs - 1_000));
  } finally {
    lab.network.setLinkUp('a', true);
  }
  const restoredAt = Date.now();
  const resumed = await Promise.all([videoResumedAt(caller.page), videoResumedAt(callee.page)]);
  await hangUp(caller, callee);
  return Math.max(...resumed) - restoredAt;
}

/**
 * A call whose caller moves to another subnet (new address, old link gone): milliseconds from
 * the move to video decoding again on both sides over the new address (ICE restart).
 */
export async function timeAddressChangeRecovery(
  lab: LabEnvironment,
  caller: ParleyClient,
  callee: ParleyClient,
): Promise<number> {
  await startVideoCall(caller, callee);
  await Promise.all([caller.waitForInboundMedia(), callee.waitForInboundMedia()]);
  const movedAt = Date.now();
  const newAddress = lab.network.moveToNewSubnet('a');
  await Promise.all([
    watchVideoResume(caller.page, newAddress),
    watchVideoResume(callee.page, newAddress),
  ]);
  const resumed = await Promise.all([videoResumedAt(caller.page), videoResumedAt(callee.page)]);
  await hangUp(caller, callee);
  return Math.max(...resumed) - movedAt;
}

/**
 * A call during which the server is killed (SIGKILL) and started again on its data; the caller
 * presses hang-up as soon as the server is back: milliseconds from the restarted server listening
 * to the callee's call ending, and the reason the callee was shown.
 */
export async function timeServerRestartHangUp(
  lab: LabEnvironment,
  caller: ParleyClient,
  callee: ParleyClient,
): Promise<{ ms: number; calleeReason: string }> {
  await startVideoCall(caller, callee);
  await Promise.all([caller.waitForInboundMedia(), callee.waitForInboundMedia()]);
  await lab.server.stop('SIGKILL');
  await lab.server.start();
  const restartedAt = Date.now();
  await caller.click(testIds.hangupButton);
  await callee.waitForScreen(testIds.screenContacts);
  const endedAt = Date.now();
  await caller.waitForCallEnded('hangup');
  const calleeReason = await callee.byTestId(testIds.callNotice).getAttribute('data-reason');
  return { ms: endedAt - restartedAt, calleeReason: calleeReason ?? '(none)' };
}
