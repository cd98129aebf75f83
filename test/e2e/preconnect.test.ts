import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import {
  countPeerConnections,
  readAttachedTransforms,
  readInboundMedia,
} from './harness/peerConnectionTracker';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

/**
 * Calls that connect while they ring ("Connecting while it rings" in docs/protocol.md): the
 * callee's device answers the offer as soon as it rings, ICE and DTLS complete with nothing sent
 * and nothing opened, and accepting only opens the camera and microphone on that connection.
 */
jest.setTimeout(240_000);

/** How long both sides are watched, connected and ringing, for any media that should not flow. */
const RINGING_OBSERVATION_MS = 1500;

const env = fileEnvironment({}, { closeClientsAfterEach: true });

/** Runs in the page first: counts getUserMedia calls (the camera or microphone being opened). */
function countGetUserMedia(): void {
  const devices = navigator.mediaDevices;
  const open = devices.getUserMedia.bind(devices);
  const counter = { calls: 0 };
  Object.defineProperty(window, '__getUserMediaCalls', { get: () => counter.calls });
  devices.getUserMedia = (constraints?: MediaStreamConstraints) => {
    counter.calls += 1;
    return open(constraints);
  };
}

const options = { initScripts: [countGetUserMedia] };

function getUserMediaCalls(client: ParleyClient): Promise<number> {
  return client.page.evaluate(
    () => (window as unknown as { __getUserMediaCalls: number }).__getUserMediaCalls,
  );
}

interface ConnectionFacts {
  connectionState: RTCPeerConnectionState;
  iceConnectionState: RTCIceConnectionState;
  /** RTP payload bytes sent by every outbound stream of the connection. */
  bytesSent: number;
  /** RTP packets received by every inbound stream. */
  packetsReceived: number;
  /** ICE username fragments of the local and remote descriptions. */
  localUfrag: string | null;
  remoteUfrag: string | null;
}

/** What the page's newest peer connection looks like, read apart from the app. */
function newestConnection(page: Page): Promise<ConnectionFacts | null> {
  return page.evaluate(async () => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const pc = tracked[tracked.length - 1];
    if (!pc) return null;
    const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? null;
    let bytesSent = 0;
    let packetsReceived = 0;
    if (pc.connectionState !== 'closed') {
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'outbound-rtp') bytesSent += Number(s.bytesSent ?? 0);
        if (s.type === 'inbound-rtp') packetsReceived += Number(s.packetsReceived ?? 0);
      });
    }
    return {
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      bytesSent,
      packetsReceived,
      localUfrag: ufrag(pc.localDescription?.sdp),
      remoteUfrag: ufrag(pc.remoteDescription?.sdp),
    };
  });
}

function waitForConnection(client: ParleyClient, state: RTCPeerConnectionState, what: string) {
  return pollUntil(
    () => newestConnection(client.page),
    (facts) => facts?.connectionState === state,
    what,
  );
}

/** Alice and Bob, new accounts each time (one server for the whole file), in each other's contacts. */
async function contacts(): Promise<[ParleyClient, ParleyClient]> {
  const tag = randomBytes(3).toString('hex');
  const alice = await env.registeredClient(`alice${tag}`, 'Alice Liddell', options);
  const bob = await env.registeredClient(`bob${tag}`, 'Bob Marley', options);
  await becomeContacts(alice, bob);
  return [alice, bob];
}

/** Until the call is answered: connected, still ringing, nothing opened, nothing flowing. */
async function expectConnectedWhileRinging(caller: ParleyClient, callee: ParleyClient) {
  await caller.waitForRinging();
  await callee.waitForIncomingCall();
  await waitForConnection(caller, 'connected', "the caller's connection up while it rings");
  await waitForConnection(callee, 'connected', "the callee's connection up while it rings");
  await new Promise((resolve) => setTimeout(resolve, RINGING_OBSERVATION_MS));
  for (const client of [caller, callee]) {
    const facts = await newestConnection(client.page);
    expect(facts).toMatchObject({ connectionState: 'connected', bytesSent: 0, packetsReceived: 0 });
    expect(['connected', 'completed']).toContain(facts?.iceConnectionState);
  }
  expect(await getUserMediaCalls(callee)).toBe(0);
  // Neither side left the ringing screens.
  await expect(callee.byTestId(testIds.acceptVideoButton).isVisible()).resolves.toBe(true);
  await expect(caller.byTestId(testIds.remoteVideo).count()).resolves.toBe(0);
}

test('the call connects while it rings with no media and no device open; accepting brings encrypted pictures both ways on that same connection', async () => {
  const [alice, bob] = await contacts();
  await alice.callContact(bob.username);
  await expectConnectedWhileRinging(alice, bob);

  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await pollUntil(
      () => readInboundMedia(client.page),
      (media) => media.videoFramesDecoded > 0,
      'decoded video frames',
    );
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
    const transforms = await readAttachedTransforms(client.page);
    expect(transforms?.senders).toEqual([true, true]);
    expect(transforms?.receivers.every(Boolean)).toBe(true);
    // Accepting used the connection made while ringing: no second one.
    expect(await countPeerConnections(client.page)).toBe(1);
  }
  expect(await getUserMediaCalls(bob)).toBe(1);
  await expectMediaStillFlowing([alice, bob]);

  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});

test.each(['declined', 'cancelled'] as const)(
  'a call %s while it rings closes the connection made for it on both sides',
  async (end) => {
    const [alice, bob] = await contacts();
    await alice.callContact(bob.username);
    await expectConnectedWhileRinging(alice, bob);
    if (end === 'declined') {
      await bob.click(testIds.declineButton);
      await alice.waitForCallEnded('declined');
    } else {
      await alice.click(testIds.cancelButton);
      await bob.waitForCallEnded('missed');
    }
    for (const client of [alice, bob]) {
      await waitForConnection(client, 'closed', 'the pre-connection closed');
    }
    expect(await getUserMediaCalls(bob)).toBe(0);
  },
);

test('both of Bob’s devices answer early, only the one the caller took connects while they ring; the other then answers, and the first is closed', async () => {
  const [alice, bobDesk] = await contacts();
  const bob = bobDesk;
  const bobLaptop = await env.newClient(options);
  const code = await bobLaptop.startLinking('Bob laptop');
  await bobDesk.lookUpLinkCode(code);
  await bobDesk.click(testIds.linkApproveButton);
  await bobLaptop.waitForLinked(bob.username, 'Bob Marley');
  await bobLaptop.waitForPresence(alice.username, 'online');

  await alice.callContact(bob.username);
  await Promise.all([bobDesk.waitForIncomingCall(), bobLaptop.waitForIncomingCall()]);
  await waitForConnection(alice, 'connected', "the caller's connection up while it rings");
  // The caller took one device's early answer: the other one answers.
  const taken = (await newestConnection(alice.page))?.remoteUfrag;
  const desk = await pollUntil(
    () => newestConnection(bobDesk.page),
    (facts) => facts?.localUfrag !== null && facts?.localUfrag !== undefined,
    "the desk's early answer",
  );
  const [answering, other] =
    desk?.localUfrag === taken ? [bobLaptop, bobDesk] : [bobDesk, bobLaptop];
  // Only the device whose early answer was taken connects: the other holds the caller's
  // candidates, so it never reaches the caller's connection while it rings.
  const taker = answering === bobDesk ? bobLaptop : bobDesk;
  await waitForConnection(taker, 'connected', "the taken device's connection up while it rings");
  expect(await newestConnection(answering.page)).toMatchObject({
    connectionState: 'new',
    iceConnectionState: 'new',
  });
  await answering.click(testIds.acceptVideoButton);
  await other.waitForCallEnded('answered_elsewhere');
  await waitForConnection(other, 'closed', "the other device's pre-connection closed");
  await Promise.all([alice.waitForInCall(), answering.waitForInCall()]);
  for (const client of [alice, answering]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await pollUntil(
      () => readInboundMedia(client.page),
      (media) => media.videoFramesDecoded > 0,
      'decoded video frames',
    );
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }
  expect(await getUserMediaCalls(other)).toBe(0);
  await alice.click(testIds.hangupButton);
  await answering.waitForCallEnded('remote_hangup');
});
