import {
  ClientMessage,
  callClientMessages,
  callServerMessages,
  type CallMedia,
} from '../../protocol';
import type { CallEngine, CallEngineEvents } from '../../renderer/call/CallEngine';
import { LocalMedia } from '../../renderer/call/LocalMedia';
import { CallController } from '../../renderer/state/CallController';
import { callHandlers } from '../../server/handlers/callHandlers';
import { recordedStats } from '../renderer/call/quality/recordedStats';
import { MemoryPins, TestDevice, randomFingerprint } from '../renderer/keys/testIdentity';
import { fakeTrack } from '../renderer/state/fakeRoomServer';
import { Bob, sdp } from '../renderer/state/pairCallBob';

type Schema = { shape: { type: { value: string } } & Record<string, unknown> };
const typeOf = (schema: Schema) => schema.shape.type.value;
const sorted = (types: Iterable<string>) => [...types].sort();

/** The 1:1 call messages the server sends that answer no request: the client's notices. */
const notices = (callServerMessages as unknown as readonly Schema[]).filter(
  (s) => !('re' in s.shape),
);
const clientTypes = (callClientMessages as unknown as readonly Schema[]).map(typeOf);

const candidate = {
  candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: null,
};

/**
 * The connection as the controller drives it (RTCPeerConnection does not exist under Node): every
 * SDP it makes carries its DTLS fingerprint; its stats show a call with one-second round trips.
 */
class StandInEngine {
  readonly keyPort = { post: () => {} };
  readonly localStream = { getVideoTracks: () => [] } as unknown as MediaStream;
  readonly videoSender = null;
  readonly sharingScreen = false;
  private readonly fingerprint = randomFingerprint();
  connectionState: RTCPeerConnectionState = 'new';
  private statsAt = 0;
  constructor(
    readonly media: CallMedia,
    readonly events: CallEngineEvents,
  ) {}
  get hasVideo() {
    return this.media === 'video';
  }
  reach(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.events.connectionState(state);
  }
  private answer = async () => sdp('v=0 answer', this.fingerprint);
  createOffer = async () => sdp('v=0 offer', this.fingerprint);
  answerOffer = this.answer;
  answerOfferHeld = this.answer;
  applyOffer = this.answer;
  restartIce = async () => sdp('v=0 restart offer', this.fingerprint);
  startVideo = async () => sdp('v=0 camera offer', this.fingerprint);
  offerUnsettled = async () => null;
  applyAnswer = async () => {};
  applyProvisionalAnswer = async () => {};
  applyLaterAnswer = async () => true;
  openMedia = async () => {};
  releaseMedia = async () => {};
  newConnection() {}
  releaseLocalCandidates() {}
  addRemoteCandidate() {}
  setMicrophoneEnabled() {}
  setCameraEnabled() {}
  close() {}
  async getStats() {
    this.statsAt += 2_000;
    const entries = recordedStats({ timestamp: this.statsAt, rtt: 1, remoteRtt: 1 });
    return new Map(entries.map((entry) => [entry.id, entry])) as unknown as RTCStatsReport;
  }
}

// Key agreement and signing are real Web Crypto work: on a busy machine a test may need a while.
jest.setTimeout(30_000);

/** Lets async work (signing, key agreement) run until `done` holds; a busy machine is slow. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(done()).toBe(true);
}

const controllers: CallController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.onSignedOut();
  jest.useRealTimers();
});

/** Alice's CallController, every message it sends checked against the protocol's schema. */
async function alice(options: { preconnect?: boolean } = {}) {
  const sent: string[] = [];
  const engines: StandInEngine[] = [];
  const device = await TestDevice.create('alice', 'device_a001');
  const pins = new MemoryPins();
  const record = (type: string, body: Record<string, unknown>, id?: string) => {
    const message = ClientMessage.parse({ v: 1, type, ...(id ? { id } : {}), ...body });
    sent.push(message.type);
  };
  const engine = (media: CallMedia, events: CallEngineEvents) => {
    const standIn = new StandInEngine(media, events);
    engines.push(standIn);
    return standIn as unknown as CallEngine;
  };
  const controller = new CallController({
    signaling: {
      request: ((type: string, body: Record<string, unknown>) => {
        // The quality monitor's pings go unanswered: our own link looks lost.
        if (type === 'ping') return new Promise(() => {});
        record(type, body, 'r1');
        return Promise.resolve({ v: 1, type: 'ok', re: 'r1' });
      }) as never,
      notify: ((type: string, body: Record<string, unknown>) => {
        record(type, body);
        return true;
      }) as never,
      checkConnection: () => {},
    },
    openMedia: async (media, events) =>
      new LocalMedia(
        { microphone: fakeTrack('audio'), camera: media === 'video' ? fakeTrack('video') : null },
        events,
      ),
    openEngine: (media, _local, events) => engine(media, events),
    ...(options.preconnect
      ? {
          preconnectEngine: (_peer: string, _local: LocalMedia, events: CallEngineEvents) =>
            engine('audio', events),
        }
      : {}),
    identity: {
      getAccount: async () => ({
        username: 'alice',
        displayName: 'Alice',
        deviceId: 'device_a001',
      }),
      signCallKeyShare: (input) => device.signCallKeyShare(input),
      getPins: () => pins.getPins(),
      putPin: (pin) => pins.putPin(pin),
    },
    knownPeer: (username) => (username === 'bob' ? { username, displayName: 'Bob' } : null),
    lookupPeer: async () => null,
    onCallEnded: () => {},
    onWaitingCallEnded: () => {},
    now: () => Date.now(),
  });
  controllers.push(controller);
  const invited = () => sent.indexOf('call.invite') >= 0;
  return { controller, sent, engines, invited };
}

const incomingId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/**
 * The server's call handlers and the renderer's CallController mirror each other message for
 * message, as the group-call layer's Room and RoomClient do (test/protocol/roomMirror.test.ts):
 * each side has exactly one handler per call.* message the other side sends, and the client sends
 * every call.* message the server handles.
 */
describe('the 1:1 call mirror', () => {
  test("the server's call handlers are exactly the call messages a client sends", () => {
    expect(sorted(Object.keys(callHandlers))).toEqual(sorted(clientTypes));
    expect(clientTypes.every((type) => type.startsWith('call.'))).toBe(true);
  });

  test("the client's call handlers are exactly the call notices the server sends", async () => {
    const { controller } = await alice();
    expect(sorted(Object.keys(controller.handlers))).toEqual(sorted(notices.map(typeOf)));
    expect(notices.map(typeOf).every((type) => type.startsWith('call.'))).toBe(true);
    expect(notices.length).toBeGreaterThan(0);
  });

  test('the client sends every call message, each valid by its schema', async () => {
    const bob = await Bob.create();
    const sent = new Set<string>();

    // Alice calls Bob, who answers early and then accepts; she mutes and hangs up.
    const caller = await alice();
    await caller.controller.call('bob', 'video');
    const callId = (caller.controller.view.value as { callId: string }).callId;
    caller.engines[0]!.events.localCandidate(candidate);
    const early = await bob.preconnect(callId);
    await caller.controller.onNotice(early);
    await caller.controller.onNotice({ ...early, type: 'call.accept', media: 'video' });
    caller.engines[0]!.reach('connected');
    caller.controller.media.toggleMute();
    // Her connection fails: she made its offer, so she restarts ICE.
    caller.engines[0]!.reach('failed');
    await until(() => caller.sent.includes('call.offer'));
    caller.controller.hangup();
    caller.sent.forEach((type) => sent.add(type));

    // Alice calls and cancels.
    const cancelling = await alice();
    await cancelling.controller.call('bob', 'audio');
    cancelling.controller.cancel();
    cancelling.sent.forEach((type) => sent.add(type));

    // Bob calls Alice: it rings and connects while it rings; she accepts; Bob restarts ICE, her
    // own connection fails (she asks him to restart it), and Bob comes back after a reload.
    const callee = await alice({ preconnect: true });
    const invite = await bob.invite(incomingId);
    await callee.controller.onNotice(invite);
    await callee.controller.accept('video');
    callee.engines[0]!.reach('connected');
    const restart = sdp('v=0 bob restart offer', invite.keyShare.fingerprint);
    await callee.controller.onNotice({
      v: 1,
      type: 'call.offer',
      callId: incomingId,
      sdp: restart,
    });
    callee.engines[0]!.reach('failed');
    await callee.controller.onNotice(await bob.rejoinMessage('call.rejoin', incomingId, 'caller'));
    callee.sent.forEach((type) => sent.add(type));

    // Bob calls; Alice declines.
    const declining = await alice();
    await declining.controller.onNotice(await bob.invite(incomingId));
    declining.controller.decline();
    declining.sent.forEach((type) => sent.add(type));

    // Alice reloaded mid-call: she rejoins the call the server still has for her.
    const rejoining = await alice();
    rejoining.controller.onSessionCalls(
      [
        {
          callId,
          peer: { username: 'bob', displayName: 'Bob' },
          media: 'video',
          role: 'caller',
          state: 'accepted',
          answeredAt: Date.now(),
        },
      ],
      false,
    );
    await until(() => rejoining.sent.includes('call.rejoin'));
    rejoining.sent.forEach((type) => sent.add(type));

    // A call where every round trip takes a second and no ping comes back: she tells Bob her own
    // link is poor.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const poor = await alice();
    await poor.controller.call('bob', 'audio');
    const poorId = (poor.controller.view.value as { callId: string }).callId;
    const answer = await bob.preconnect(poorId);
    await poor.controller.onNotice({ ...answer, type: 'call.accept', media: 'audio' });
    poor.engines[0]!.reach('connected');
    for (let second = 0; second < 20 && !poor.sent.includes('call.quality'); second += 1) {
      await jest.advanceTimersByTimeAsync(1_000);
    }
    poor.sent.forEach((type) => sent.add(type));

    // `call.rekey` asks the peer to move its sending key on: ours rotates on its own timer
    // (KeyRotationSchedule) and never asks, but honours the request from other clients.
    expect(sorted(new Set([...sent, 'call.rekey']))).toEqual(sorted(clientTypes));
  });
});
