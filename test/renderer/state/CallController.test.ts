import {
  isolateName,
  KEY_SHARE_MAX_AGE_MS,
  type CallMedia,
  type KeyShare,
  type LiveCall,
} from '../../../protocol';
import type { CallEngine, CallEngineEvents } from '../../../renderer/call/CallEngine';
import { LocalMedia } from '../../../renderer/call/LocalMedia';
import { MediaAccessError } from '../../../renderer/call/mediaErrors';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { createKeyShare, verifyKeyShare } from '../../../renderer/keys/callKeyShare';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import type { E2eeWorkerRequest } from '../../../renderer/e2ee/worker/messages';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { CallController } from '../../../renderer/state/CallController';
import { fakeTrack } from './fakeRoomServer';
import { Bob, sdp } from './pairCallBob';
import { MemoryPins, TestDevice, chainOf, randomFingerprint } from '../keys/testIdentity';

const sdpName = (text: string) => text.split('\r\n')[0];

/**
 * RTCPeerConnection does not exist under Node, so the engine here is a stand-in that records
 * what the controller asked of it; the browser path is covered by the e2e suite. Keys, key
 * shares and identities are real (Node's Web Crypto).
 */
class StandInEngine {
  readonly calls: string[] = [];
  readonly remoteCandidates: unknown[] = [];
  readonly workerMessages: E2eeWorkerRequest[] = [];
  readonly keyPort = {
    post: (message: E2eeWorkerRequest) => void this.workerMessages.push(message),
  };
  readonly localStream = { getVideoTracks: () => [] } as unknown as MediaStream;
  readonly fingerprint = randomFingerprint();
  connectionState: RTCPeerConnectionState = 'new';
  closed = false;
  /** What turning the camera on returns: null when the peer's own offer took the connection. */
  videoOffer: string | null = 'v=0 camera offer';
  constructor(
    public media: CallMedia,
    readonly events: CallEngineEvents,
  ) {}
  get hasVideo() {
    return this.media === 'video';
  }
  async createOffer() {
    this.calls.push('createOffer');
    return sdp('v=0 offer', this.fingerprint);
  }
  async answerOffer(offer: string) {
    this.calls.push(`answerOffer:${sdpName(offer)}`);
    return sdp('v=0 answer', this.fingerprint);
  }
  async applyAnswer(answer: string) {
    this.calls.push(`applyAnswer:${sdpName(answer)}`);
  }
  async answerOfferHeld(offer: string) {
    this.calls.push(`answerOfferHeld:${sdpName(offer)}`);
    return sdp('v=0 early answer', this.fingerprint);
  }
  async applyProvisionalAnswer(answer: string) {
    this.calls.push(`applyProvisionalAnswer:${sdpName(answer)}`);
  }
  async openMedia(media: CallMedia) {
    this.calls.push(`openMedia:${media}`);
  }
  async releaseMedia() {
    this.calls.push('releaseMedia');
  }
  /** The connection reaches a state, as the browser would report it. */
  reach(state: RTCPeerConnectionState) {
    this.connectionState = state;
    this.events.connectionState(state);
  }
  async restartIce() {
    this.calls.push('restartIce');
    return sdp('v=0 restart offer', this.fingerprint);
  }
  async applyOffer(offer: string, polite: boolean) {
    this.calls.push(`applyOffer:${sdpName(offer)}:${polite ? 'polite' : 'impolite'}`);
    return sdp('v=0 restart answer', this.fingerprint);
  }
  async applyLaterAnswer(answer: string) {
    this.calls.push(`applyLaterAnswer:${sdpName(answer)}`);
    return true;
  }
  async offerUnsettled() {
    return null;
  }
  async startVideo() {
    this.calls.push('startVideo');
    this.media = 'video';
    return this.videoOffer === null ? null : sdp(this.videoOffer, this.fingerprint);
  }
  newConnection() {
    this.calls.push('newConnection');
  }
  releaseLocalCandidates() {
    this.calls.push('releaseLocalCandidates');
  }
  addRemoteCandidate(candidate: unknown) {
    this.remoteCandidates.push(candidate);
  }
  setMicrophoneEnabled(enabled: boolean) {
    this.calls.push(`mic:${enabled}`);
  }
  setCameraEnabled(enabled: boolean) {
    this.calls.push(`camera:${enabled}`);
  }
  close() {
    this.closed = true;
  }
}

/** Bob's display name as the app's sentences carry it (isolated: see protocol/nameText.ts). */
const BOB = isolateName('Bob');

// Key agreement and signing are real Web Crypto work: on a busy machine a test may need a while.
jest.setTimeout(30_000);

const flush = () => new Promise((resolve) => setImmediate(resolve));
/**
 * Lets async work (signing, key agreement) run until `done` holds. The deadline is generous: on a
 * busy machine that work may take a while, and only a result that never comes should fail.
 */
async function settle(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(done()).toBe(true);
}
const incomingId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/** Controllers of the current test: each ends its call afterwards, so no rotation timer lingers. */
const controllers: CallController[] = [];
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.onSignedOut();
});

async function setup(
  options: {
    inviteError?: SignalingError;
    mediaError?: string;
    mediaInput?: 'microphone' | 'camera';
    preconnect?: boolean;
  } = {},
) {
  const sent: { type: string; body: Record<string, unknown> }[] = [];
  const signalingChecks = { count: 0 };
  const engines: StandInEngine[] = [];
  /** Each call's local media, as the controller had it opened (stand-in tracks; a preconnect's empty). */
  const locals: LocalMedia[] = [];
  const alice = await TestDevice.create('alice', 'device_a001');
  const pins = new MemoryPins();
  let clock = 1_000_000;
  let ended = 0;
  const waitingEnds: { callId: string; how: string }[] = [];
  /** What the group side was told of rejoins: `back <callId>` (ours), `peer <callId>` (Bob's). */
  const rejoinNews: string[] = [];
  const controller = new CallController({
    signaling: {
      request: (async (type: string, body: Record<string, unknown>) => {
        sent.push({ type, body });
        if (type === 'call.invite' && options.inviteError) throw options.inviteError;
        return { v: 1, type: 'ok', re: 'r1' };
      }) as never,
      notify: ((type: string, body: Record<string, unknown>) => {
        sent.push({ type, body });
        return true;
      }) as never,
      checkConnection: () => void (signalingChecks.count += 1),
    },
    openMedia: async (media, events) => {
      if (options.mediaError)
        throw new MediaAccessError(
          new DOMException('no', options.mediaError),
          options.mediaInput ?? 'camera',
        );
      const camera = media === 'video' ? fakeTrack('video') : null;
      const local = new LocalMedia({ microphone: fakeTrack('audio'), camera }, events);
      locals.push(local);
      return local;
    },
    openEngine: (media, _local, events) => {
      const engine = new StandInEngine(media, events);
      engines.push(engine);
      return engine as unknown as CallEngine;
    },
    ...(options.preconnect
      ? {
          preconnectEngine: (peer: string, local: LocalMedia, events: CallEngineEvents) => {
            if (peer !== 'bob') return null;
            locals.push(local);
            const engine = new StandInEngine('audio', events);
            engines.push(engine);
            return engine as unknown as CallEngine;
          },
        }
      : {}),
    identity: {
      getAccount: async () => ({
        username: 'alice',
        displayName: 'Alice',
        deviceId: 'device_a001',
      }),
      signCallKeyShare: (input) => alice.signCallKeyShare(input),
      getPins: () => pins.getPins(),
      putPin: (pin) => pins.putPin(pin),
    },
    knownPeer: (username) => (username === 'bob' ? { username, displayName: 'Bob' } : null),
    lookupPeer: async () => null,
    onCallEnded: () => void (ended += 1),
    onWaitingCallEnded: (callId, how) => void waitingEnds.push({ callId, how }),
    onRejoined: (callId) => void rejoinNews.push(`back ${callId}`),
    onPeerRejoined: (callId) => void rejoinNews.push(`peer ${callId}`),
    now: () => clock,
  });
  controllers.push(controller);
  const bob = await Bob.create();
  // Key shares carry their signing time: both devices sign at the controller's (fake) clock.
  alice.clock = () => clock;
  bob.device.clock = () => clock;
  return {
    controller,
    sent,
    engines,
    locals,
    pins,
    alice,
    bob,
    types: () => sent.map((m) => m.type),
    advance: (ms: number) => void (clock += ms),
    /** What a peer checks a share of Alice's against: its clock now, nothing seen before. */
    freshness: () => ({ now: clock, replays: new KeyShareReplayGuard() }),
    endedCount: () => ended,
    waitingEnds,
    rejoinNews,
    signalingChecks: () => signalingChecks.count,
  };
}

/** Alice's video call to Bob, answered and connected: the call a third person grows. */
async function connectedVideoCall() {
  const t = await setup();
  await t.controller.call('bob', 'video');
  const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
  await t.controller.onNotice(await t.bob.accept(callId));
  t.engines[0]!.reach('connected');
  return { t, callId };
}

describe('CallController', () => {
  test('a caller dials, rings, is answered, connects, and hangs up with the duration', async () => {
    const t = await setup();
    await t.controller.call(' Bob ', 'video');
    const view = t.controller.view.value;
    expect(view).toMatchObject({
      kind: 'outgoing',
      phase: 'calling',
      peer: { displayName: 'Bob' },
    });
    const invite = t.sent.find((m) => m.type === 'call.invite');
    expect(invite?.body).toMatchObject({ to: 'bob', media: 'video' });
    expect(invite?.body.sdp).toMatch(/^v=0 offer/);
    const callId = invite?.body.callId as string;

    t.controller.onNotice({ v: 1, type: 'call.ringing', callId });
    expect(t.controller.view.value).toMatchObject({ phase: 'ringing' });
    await t.controller.onNotice(await t.bob.accept(callId));
    expect(t.engines[0]?.calls).toEqual([
      'createOffer',
      'applyAnswer:v=0 answer',
      'releaseLocalCandidates',
    ]);
    expect(t.controller.view.value.kind).toBe('connecting');

    t.engines[0]?.events.connectionState('connected');
    expect(t.controller.view.value.kind).toBe('in_call');
    t.advance(42_000);
    t.controller.hangup();
    expect(t.types().at(-1)).toBe('call.hangup');
    expect(t.engines[0]?.closed).toBe(true);
    expect(t.controller.view.value.kind).toBe('idle');
    expect(t.controller.notice.value).toEqual({ reason: 'hangup', text: 'Call ended · 0:42' });
    expect(t.endedCount()).toBe(1);
  });

  describe("the call's camera and microphone", () => {
    test('a hang-up stops them', async () => {
      const { t } = await connectedVideoCall();
      const [local] = t.locals;
      expect(local?.state).toEqual({ audio: true, video: true, screen: false });
      const microphone = local!.track('microphone')!;
      const camera = local!.track('camera')!;
      t.controller.hangup();
      expect([microphone.readyState, camera.readyState]).toEqual(['ended', 'ended']);
    });

    test('a grown call handed over to the SFU leaves them running for the group call, whose end stops them', async () => {
      const { t } = await connectedVideoCall();
      const grown = t.controller.growable()!;
      expect(grown.activeCall.local).toBe(t.locals[0]);
      const microphone = grown.activeCall.local.track('microphone')!;
      grown.activeCall.hold('room');
      grown.detach();
      expect(t.engines[0]?.closed).toBe(true);
      expect(microphone.readyState).toBe('live');
      grown.activeCall.letGo('room');
      expect(microphone.readyState).toBe('ended');
    });
  });

  test('a grown voice call still on its 1:1 connection turns our camera on through that connection: the group call asks (GrowingCall.startVideo), the offer goes to the peer; closed, it is refused', async () => {
    const t = await setup();
    await t.controller.call('bob', 'audio');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    await t.controller.onNotice(await t.bob.accept(callId));
    t.engines[0]!.reach('connected');
    const grown = t.controller.growable()!;
    grown.activeCall.hold('room');

    await grown.startVideo();
    expect(t.engines[0]?.calls.at(-1)).toBe('startVideo');
    expect(t.sent.at(-1)).toMatchObject({ type: 'call.offer', body: { callId } });
    expect(sdpName(t.sent.at(-1)!.body.sdp as string)).toBe('v=0 camera offer');

    // Once the SFU took the call over, the 1:1 connection is gone: nothing is offered over it.
    grown.detach();
    const sentBefore = t.sent.length;
    await expect(grown.startVideo()).rejects.toThrow();
    expect(t.sent.slice(sentBefore)).toEqual([]);
  });

  test("a grown call's 1:1 side detaching stops no track and sends nothing, no hang-up: the group call holds the same call, members and media", async () => {
    const { t } = await connectedVideoCall();
    const grown = t.controller.growable()!;
    // Every growable() of this call is the one ActiveCall: our member and the peer's are its own.
    expect(t.controller.growable()!.activeCall).toBe(grown.activeCall);
    expect(grown.activeCall.members.own).toBe(t.controller.media);
    expect(grown.activeCall.members.peer).toBe(t.controller.peer);
    const { local } = grown.activeCall;
    const tracks = [local.track('microphone')!, local.track('camera')!];
    grown.activeCall.hold('room');
    const sentBefore = t.sent.length;

    grown.detach();
    expect(t.sent.slice(sentBefore)).toEqual([]);
    expect(t.engines[0]?.closed).toBe(true);
    expect(tracks.map((track) => track.readyState)).toEqual(['live', 'live']);
    expect(grown.activeCall.heldBy('pair')).toBe(false);
    expect(t.controller.view.value.kind).toBe('idle');
    expect(t.controller.notice.value).toBeNull();
    // Nothing of it is left to the pair layer.
    expect(t.controller.growable()).toBeNull();
  });

  describe('call waiting', () => {
    const waitingId = '7a1e9c20-2222-4b4b-8c8c-333344445555';
    const candidate = {
      candidate: 'candidate:7',
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: 'w',
    };

    /** Alice talks with Bob (she called him); then a second call comes in for her. */
    async function talkingWhenCalled() {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      await t.controller.onNotice(await t.bob.accept(callId));
      t.engines[0]?.reach('connected');
      await t.controller.onNotice(await t.bob.invite(waitingId));
      return { ...t, callId };
    }

    test('a call that comes in during a call is verified and shown waiting; the call goes on', async () => {
      const t = await talkingWhenCalled();
      expect(t.controller.waiting.call.value).toEqual({
        callId: waitingId,
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
      });
      expect(t.sent.at(-1)).toEqual({ type: 'call.ringing', body: { callId: waitingId } });
      expect(t.controller.view.value).toMatchObject({ kind: 'in_call', callId: t.callId });
      // Its candidates are kept for it, never given to the call under way.
      t.controller.onNotice({ v: 1, type: 'call.ice', callId: waitingId, candidate });
      expect(t.engines[0]?.remoteCandidates).toEqual([]);
      expect(t.engines).toHaveLength(1);
    });

    test('declining the waiting call tells the server and leaves the call as it was', async () => {
      const t = await talkingWhenCalled();
      t.controller.declineWaiting();
      expect(t.sent.at(-1)).toEqual({ type: 'call.decline', body: { callId: waitingId } });
      expect(t.controller.waiting.call.value).toBeNull();
      expect(t.waitingEnds).toEqual([{ callId: waitingId, how: 'declined' }]);
      expect(t.controller.view.value.kind).toBe('in_call');
      expect(t.engines[0]?.closed).toBe(false);
    });

    test('"End and accept" hangs up this call first, then answers the waiting one with its kept candidates', async () => {
      const t = await talkingWhenCalled();
      t.controller.onNotice({ v: 1, type: 'call.ice', callId: waitingId, candidate });
      await t.controller.endAndAccept('audio');
      const types = t.types();
      expect(types.slice(types.lastIndexOf('call.hangup'))).toEqual(['call.hangup', 'call.accept']);
      expect(t.sent.find((m) => m.type === 'call.hangup')?.body).toEqual({ callId: t.callId });
      expect(t.sent.at(-1)?.body).toMatchObject({ callId: waitingId, media: 'audio' });
      expect(t.engines[0]?.closed).toBe(true);
      expect(t.engines[1]?.remoteCandidates).toEqual([candidate]);
      expect(t.controller.view.value).toMatchObject({ kind: 'connecting', callId: waitingId });
      expect(t.controller.waiting.call.value).toBeNull();
    });

    test('left alone, the waiting call ends when the server says so; the call goes on', async () => {
      const t = await talkingWhenCalled();
      t.controller.onNotice({ v: 1, type: 'call.timeout', callId: waitingId });
      expect(t.controller.waiting.call.value).toBeNull();
      expect(t.waitingEnds).toEqual([{ callId: waitingId, how: 'missed' }]);
      expect(t.controller.view.value.kind).toBe('in_call');
      expect(t.controller.notice.value).toBeNull();
    });

    test('when the other side ends the call, the waiting call rings like any incoming call', async () => {
      const t = await talkingWhenCalled();
      t.controller.onNotice({ v: 1, type: 'call.hangup', callId: t.callId, reason: 'hangup' });
      expect(t.controller.view.value).toMatchObject({ kind: 'incoming', callId: waitingId });
      expect(t.controller.waiting.call.value).toBeNull();
      await t.controller.accept('video');
      expect(t.sent.at(-1)).toMatchObject({ type: 'call.accept', body: { callId: waitingId } });
    });

    test('a waiting call whose caller does not verify is declined without a banner', async () => {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      await t.controller.onNotice(await t.bob.accept(callId));
      const forged = await t.bob.invite(waitingId);
      await t.controller.onNotice({ ...forged, sdp: 'v=0 tampered' });
      expect(t.controller.waiting.call.value).toBeNull();
      expect(t.sent.at(-1)).toEqual({
        type: 'call.decline',
        body: { callId: waitingId, reason: 'identity_failed' },
      });
      expect(t.controller.view.value).toMatchObject({ callId });
    });
  });

  test("the peer's call.quality shows who is to blame while the call lasts, and only for this call", async () => {
    const t = await setup();
    await t.controller.onNotice(await t.bob.invite(incomingId));
    await t.controller.accept('video');
    t.engines[0]?.events.connectionState('connected');
    const quality = (poor: boolean, callId = incomingId) =>
      t.controller.onNotice({ v: 1, type: 'call.quality', callId, poor });

    expect(t.controller.quality.indicator.value).toBeNull();
    quality(true, '0d3c8a51-9999-4a4a-8b8b-222233334444');
    expect(t.controller.quality.indicator.value).toBeNull();
    quality(true);
    expect(t.controller.quality.indicator.value).toEqual({
      blame: 'peer',
      text: `${BOB}'s connection is unstable`,
      details: `Last check: ${BOB}'s app reports its link unstable`,
    });
    quality(false);
    expect(t.controller.quality.indicator.value).toBeNull();

    quality(true);
    t.controller.hangup();
    expect(t.controller.quality.indicator.value).toBeNull();
  });

  test('mute and camera off change the tracks and tell the peer', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    t.controller.media.toggleMute();
    t.controller.media.toggleCamera();
    expect(t.engines[0]?.calls.slice(-2)).toEqual(['mic:false', 'camera:false']);
    expect(t.sent.filter((m) => m.type === 'call.media').map((m) => m.body)).toEqual([
      expect.objectContaining({ audio: false, video: true }),
      expect.objectContaining({ audio: false, video: false }),
    ]);
    expect(t.controller.media.muted.value && t.controller.media.cameraOff.value).toBe(true);
  });

  test('our camera turned on in an audio call: its offer goes to the peer, which is told the camera is on', async () => {
    const t = await setup();
    await t.controller.call('bob', 'audio');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    await t.controller.onNotice(await t.bob.accept(callId));
    t.controller.media.toggleCamera();
    await flush();
    expect(t.engines[0]?.calls.at(-1)).toBe('startVideo');
    expect(t.types().slice(-2)).toEqual(['call.offer', 'call.media']);
    expect(t.sent.at(-1)?.body).toMatchObject({ audio: true, video: true });
    expect(t.controller.media.cameraOff.value).toBe(false);
  });

  test('both turn their cameras on at once and the peer’s offer wins: no offer of ours, yet the peer is told our camera is on', async () => {
    const t = await setup();
    await t.controller.call('bob', 'audio');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    await t.controller.onNotice(await t.bob.accept(callId));
    t.engines[0]!.videoOffer = null;
    t.controller.media.toggleCamera();
    await flush();
    expect(t.engines[0]?.calls.at(-1)).toBe('startVideo');
    expect(t.types()).not.toContain('call.offer');
    expect(t.sent.at(-1)).toMatchObject({
      type: 'call.media',
      body: { audio: true, video: true },
    });
    expect(t.controller.media.canUseCamera.value).toBe(true);
    expect(t.controller.media.cameraOff.value).toBe(false);
  });

  test('an answered call can grow: our slot by role, the peer as its accept named it; handed over, it closes with no hang-up and no notice', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    expect(t.controller.growable()).toBeNull(); // still ringing
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    const accept = await t.bob.accept(callId);
    await t.controller.onNotice(accept);
    expect(t.controller.growable()).toBeNull(); // answered, not yet connected
    t.engines[0]!.reach('connected');
    const grown = t.controller.growable()!;
    expect(grown).toMatchObject({
      callId,
      media: 'video',
      ownSlot: 0,
      peer: { slot: 1, user: { username: 'bob' }, deviceId: 'device_b001' },
    });
    expect(grown.peer.identity).toEqual(accept.identity);

    // Moving to the SFU: a failing 1:1 connection no longer restarts ICE nor hangs up.
    const { paths } = grown.activeCall;
    paths.bridge(grown, () => {});
    paths.switchToSfu(() => {});
    const sentBefore = t.sent.length;
    t.engines[0]!.reach('failed');
    await flush();
    expect(t.sent.slice(sentBefore)).toEqual([]);
    expect(t.controller.view.value.kind).toBe('in_call');

    paths.closeRetiring();
    expect(t.engines[0]!.closed).toBe(true);
    expect(t.controller.view.value.kind).toBe('idle');
    expect(t.controller.notice.value).toBeNull();
    expect(t.types()).not.toContain('call.hangup');
    expect(t.controller.growable()).toBeNull();
  });

  test("a growing call's 1:1 connection is the call's until the SFU carries it: its failure restarts ICE before the switch, and after it reaches neither the call's state nor a restart, and ends nothing", async () => {
    const { t, callId } = await connectedVideoCall();
    const grown = t.controller.growable()!;
    const { paths } = grown.activeCall;
    paths.bridge(grown, () => {});

    // Bridging, not switched yet: the 1:1 connection carries the call, and recovers.
    t.engines[0]!.reach('disconnected');
    await flush();
    expect(t.controller.connectionState.value).toBe('disconnected');
    expect(t.signalingChecks()).toBe(1);
    t.engines[0]!.reach('failed');
    await flush();
    expect(t.sent.at(-1)).toMatchObject({ type: 'call.offer', body: { callId } });
    t.engines[0]!.reach('connected');
    await flush();
    expect(t.controller.connectionState.value).toBe('connected');

    // Switched: the retiring connection's end is none of the call's business.
    paths.switchToSfu(() => {});
    const sentBefore = t.sent.length;
    t.engines[0]!.reach('disconnected');
    t.engines[0]!.reach('failed');
    await flush();
    expect(t.controller.connectionState.value).toBe('connected');
    expect(t.controller.mediaReconnecting.value).toBe(false);
    expect(t.signalingChecks()).toBe(2);
    expect(t.sent.slice(sentBefore)).toEqual([]);
    expect(t.controller.view.value.kind).toBe('in_call');
    expect(t.engines[0]!.closed).toBe(false);

    // The switch closes it (here: we leave), with no hang-up and no notice.
    paths.closeRetiring();
    expect(t.engines[0]!.closed).toBe(true);
    expect(t.types()).not.toContain('call.hangup');
    expect(t.controller.notice.value).toBeNull();
  });

  test('a grown call hands our member on whole: a mute holds, the peer hears each change once while the 1:1 connection carries the call and nothing after; the next call has its own', async () => {
    const { t, callId } = await connectedVideoCall();
    t.controller.media.toggleMute();
    const callMedia = () => t.sent.filter((m) => m.type === 'call.media').map((m) => m.body);
    expect(callMedia()).toEqual([expect.objectContaining({ callId, audio: false, video: true })]);

    const grown = t.controller.growable()!;
    grown.activeCall.hold('room');
    const member = grown.activeCall.members.own;
    expect(member).toBe(t.controller.media);
    // The group call drives the member now (a stand-in for its media), switches as they are.
    const groupMicrophone: boolean[] = [];
    member.attach(
      {
        localStream: { id: 'group self view' } as unknown as MediaStream,
        hasVideo: true,
        setMicrophoneEnabled: (on) => void groupMicrophone.push(on),
        setCameraEnabled: () => {},
      },
      { muted: member.muted.value, cameraOff: member.cameraOff.value },
    );
    expect(member.muted.value).toBe(true);
    member.toggleMute();
    expect(groupMicrophone).toEqual([true]);
    expect(callMedia()).toEqual([
      expect.objectContaining({ callId, audio: false, video: true }),
      expect.objectContaining({ callId, audio: true, video: true }),
    ]);

    grown.detach();
    expect(t.controller.view.value.kind).toBe('idle');
    // Handed over, the member is the group call's still: nothing reset, the peer told nothing more.
    expect(member.inCall).toBe(true);
    member.toggleMute();
    expect(member.muted.value).toBe(true);
    expect(groupMicrophone).toEqual([true, false]);
    expect(callMedia()).toHaveLength(2);
    // The next 1:1 call starts from switches of its own.
    expect(t.controller.media).not.toBe(member);
    expect(t.controller.media.muted.value).toBe(false);
    expect(t.controller.media.inCall).toBe(false);
  });

  test("a grown call's peer is handed on whole: what Bob says over the 1:1 connection and its frames reach the group call's member, which goes on as he was once the call is handed over, and the next call has its own", async () => {
    const { t, callId } = await connectedVideoCall();
    const grown = t.controller.growable()!;
    const bob = grown.activeCall.members.peer;
    expect(bob).toBe(t.controller.peer);
    expect(bob.path.value).toBe('p2p');

    // Bob's stream plays; he mutes over the 1:1 connection, and its worker counts his frames.
    const track = {} as MediaStreamTrack;
    t.engines[0]!.events.remoteStream({
      getAudioTracks: () => [track],
      getVideoTracks: () => [track],
    } as unknown as MediaStream);
    t.controller.onNotice({ v: 1, type: 'call.media', callId, audio: false, video: true });
    t.engines[0]!.events.e2eeCounts({
      audio: { encrypted: 40, encryptFailed: 0, decrypted: 35, decryptFailed: 0 },
      video: { encrypted: 30, encryptFailed: 0, decrypted: 25, decryptFailed: 0 },
    });
    expect(bob.muted.value).toBe(true);
    expect(bob.sends.value).toEqual({ audio: false, video: true, screen: false });
    expect(bob.e2ee.state.value).toBe('encrypted');
    expect(t.controller.e2eeState.value).toBe('encrypted');

    grown.activeCall.hold('room');
    bob.carriedBy('sfu');
    grown.detach();
    // Handed over: the group call's member keeps what Bob said and its frames' state...
    expect(bob.muted.value).toBe(true);
    expect(bob.framesThrough('p2p')).not.toBeNull();
    // ...and this page's next 1:1 call starts from a member of its own.
    expect(t.controller.peer).not.toBe(bob);
    expect(t.controller.peer.muted.value).toBe(false);
    expect(t.controller.e2eeState.value).toBe('negotiating');
  });

  test('a callee rings back, accepts with video, and gets the caller’s early candidates', async () => {
    const t = await setup();
    await t.controller.onNotice(await t.bob.invite(incomingId));
    expect(t.types()).toEqual(['call.ringing']);
    expect(t.controller.view.value).toMatchObject({
      kind: 'incoming',
      peer: { displayName: 'Bob' },
    });
    t.controller.onNotice({ v: 1, type: 'call.ice', callId: incomingId, candidate: null });
    await t.controller.accept('video');
    expect(t.engines[0]?.calls).toEqual(['answerOffer:v=0 bob offer', 'releaseLocalCandidates']);
    expect(t.engines[0]?.remoteCandidates).toEqual([null]);
    expect(t.sent.at(-1)).toMatchObject({
      type: 'call.accept',
      body: { callId: incomingId, media: 'video', sdp: expect.stringMatching(/^v=0 answer/) },
    });
    t.controller.onNotice({ v: 1, type: 'call.hangup', callId: incomingId, reason: 'hangup' });
    expect(t.controller.notice.value?.reason).toBe('remote_hangup');
  });

  test.each([
    ['call.decline', 'declined', `${BOB} declined the call`],
    ['call.busy', 'busy', `${BOB} is busy on another call`],
    ['call.timeout', 'no_answer', `No answer from ${BOB}`],
  ] as const)('the caller hears %s and the notice says %s', async (type, reason, text) => {
    const t = await setup();
    await t.controller.call('bob', 'audio');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    const handlers = {
      'call.decline': () => t.controller.onNotice({ v: 1, type: 'call.decline', callId }),
      'call.busy': () => t.controller.onNotice({ v: 1, type: 'call.busy', callId }),
      'call.timeout': () => t.controller.onNotice({ v: 1, type: 'call.timeout', callId }),
    };
    handlers[type]();
    expect(t.controller.notice.value).toEqual({ reason, text });
    expect(t.engines[0]?.closed).toBe(true);
  });

  test('the callee sees a missed call when the caller cancels or the ring times out', async () => {
    for (const end of ['cancel', 'timeout'] as const) {
      const t = await setup();
      await t.controller.onNotice(await t.bob.invite(incomingId));
      if (end === 'cancel') {
        t.controller.onNotice({
          v: 1,
          type: 'call.cancel',
          callId: incomingId,
          reason: 'cancelled',
        });
      } else {
        t.controller.onNotice({ v: 1, type: 'call.timeout', callId: incomingId });
      }
      expect(t.controller.notice.value).toEqual({
        reason: 'missed',
        text: `Missed call from ${BOB}`,
      });
    }
  });

  test('cancelling sends call.cancel and both notices read right', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    t.controller.cancel();
    expect(t.types().at(-1)).toBe('call.cancel');
    expect(t.controller.notice.value?.reason).toBe('cancelled');
  });

  test('glare: their invite while we call them ends our attempt and rings here instead', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    await t.controller.onNotice(await t.bob.invite(incomingId));
    expect(t.engines[0]?.closed).toBe(true);
    expect(t.controller.view.value).toMatchObject({ kind: 'incoming', callId: incomingId });
  });

  test('an invite from someone else while in a call changes nothing', async () => {
    const t = await setup();
    await t.controller.call('carol', 'video');
    const before = t.controller.view.value;
    await t.controller.onNotice(await t.bob.invite(incomingId));
    expect(t.controller.view.value).toBe(before);
    expect(t.types()).not.toContain('call.ringing');
  });

  test('a refused invite ends with the reason the server gave', async () => {
    const t = await setup({
      inviteError: new SignalingError('callee_offline', 'They are offline.'),
    });
    await t.controller.call('bob', 'video');
    expect(t.controller.notice.value).toEqual({
      reason: 'callee_offline',
      text: `${BOB} is offline. Try again later.`,
    });
  });

  test('a name that cannot be a username ends as unknown user without sending anything', async () => {
    const t = await setup();
    await t.controller.call('no such person!', 'video');
    expect(t.sent).toEqual([]);
    expect(t.controller.notice.value?.reason).toBe('unknown_user');
  });

  test('camera permission denied: the caller sees why; a callee also declines the call', async () => {
    const caller = await setup({ mediaError: 'NotAllowedError' });
    await caller.controller.call('bob', 'video');
    expect(caller.types()).toEqual([]);
    expect(caller.controller.notice.value?.reason).toBe('permission_denied');

    const callee = await setup({ mediaError: 'NotFoundError', mediaInput: 'microphone' });
    await callee.controller.onNotice(await callee.bob.invite(incomingId));
    await callee.controller.accept('video');
    expect(callee.types()).toEqual(['call.ringing', 'call.decline']);
    // The caller is told the callee could not answer, and what failed.
    expect(callee.sent.at(-1)?.body).toEqual({
      callId: incomingId,
      reason: 'microphone_unavailable',
    });
    expect(callee.controller.notice.value?.reason).toBe('no_device');
  });

  test.each([
    ['call.decline', 'microphone_denied', 'peer_microphone_denied'],
    ['call.decline', 'camera_unavailable', 'peer_camera_unavailable'],
    ['call.decline', 'identity_failed', 'peer_identity_failed'],
    ['call.hangup', 'microphone_denied', 'peer_microphone_denied'],
  ] as const)(
    'a %s saying %s is shown to the caller as %s, not as declined or hung up',
    async (type, failure, reason) => {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      if (type === 'call.hangup') {
        await t.controller.onNotice(await t.bob.accept(callId));
        t.controller.onNotice({ v: 1, type, callId, reason: failure });
      } else {
        t.controller.onNotice({ v: 1, type, callId, reason: failure });
      }
      expect(t.controller.notice.value?.reason).toBe(reason);
      expect(t.controller.notice.value?.text).not.toMatch(/declined|ended the call/);
    },
  );

  test("on the callee's other device a decline with a reason is still a decline: the reason is for the caller", async () => {
    const t = await setup();
    await t.controller.onNotice(await t.bob.invite(incomingId));
    t.controller.onNotice({
      v: 1,
      type: 'call.decline',
      callId: incomingId,
      reason: 'microphone_denied',
    });
    expect(t.controller.notice.value?.reason).toBe('declined');
  });

  test("the callee hears that the caller refused its keys: the notice says so, not 'ended the call'", async () => {
    const t = await setup();
    await t.controller.onNotice(await t.bob.invite(incomingId));
    await t.controller.accept('audio');
    t.controller.onNotice({
      v: 1,
      type: 'call.hangup',
      callId: incomingId,
      reason: 'identity_failed',
    });
    expect(t.controller.notice.value).toEqual({
      reason: 'peer_identity_failed',
      text: `${BOB}'s app could not verify your encryption keys, so the call was not connected.`,
    });
  });

  test('a failed peer connection restarts ICE and says so; 30 s without a connection hangs up as connection lost', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    const accept = await t.bob.accept(callId);
    await t.controller.onNotice(accept);
    const engine = t.engines[0]!;
    engine.events.connectionState('connected');
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      expect(t.signalingChecks()).toBe(0);
      engine.events.connectionState('failed');
      await flush();
      // The offer goes over signaling, which the same network change may have broken: checked.
      expect(t.signalingChecks()).toBe(1);
      expect(t.controller.mediaReconnecting.value).toBe(true);
      expect(t.controller.view.value.kind).toBe('in_call');
      expect(t.sent.at(-1)).toMatchObject({ type: 'call.offer', body: { callId } });

      // Bob's answer carries the certificate his accept signed: applied.
      const fingerprint = accept.keyShare.fingerprint;
      const answer = sdp('v=0 bob restart answer', fingerprint);
      await t.controller.onNotice({ v: 1, type: 'call.answer', callId, sdp: answer });
      expect(engine.calls.at(-1)).toBe('applyLaterAnswer:v=0 bob restart answer');

      jest.advanceTimersByTime(29_000);
      expect(t.controller.view.value.kind).toBe('in_call');
      t.advance(30_000);
      jest.advanceTimersByTime(1_000);
      expect(t.types().at(-1)).toBe('call.hangup');
      expect(t.controller.notice.value?.reason).toBe('connection_lost');
      expect(t.controller.mediaReconnecting.value).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  test('an ICE restart offer naming another certificate than the peer signed ends the call as identity_failed', async () => {
    const t = await setup();
    await t.controller.onNotice(await t.bob.invite(incomingId));
    await t.controller.accept('video');
    const swapped = sdp('v=0 swapped offer', randomFingerprint());
    await t.controller.onNotice({ v: 1, type: 'call.offer', callId: incomingId, sdp: swapped });
    expect(t.engines[0]?.calls).not.toContain('applyOffer:v=0 swapped offer:polite');
    expect(t.types().at(-1)).toBe('call.hangup');
    expect(t.controller.notice.value?.reason).toBe('identity_failed');
  });

  describe('rejoin after a reload', () => {
    const live = (role: 'caller' | 'callee'): LiveCall => ({
      callId: incomingId,
      peer: { username: 'bob', displayName: 'Bob' },
      media: 'video',
      role,
      state: 'accepted',
      answeredAt: 1_000_000 - 65_000,
    });

    test('a group call in the list (one that grew, or was made as one) is not rejoined as a 1:1 call', async () => {
      const t = await setup();
      t.controller.onSessionCalls([{ ...live('callee'), group: { slot: 1, path: 'sfu' } }], false);
      await flush();
      expect(t.controller.view.value.kind).toBe('idle');
      expect(t.types()).not.toContain('call.rejoin');
    });

    test('a reloaded page rejoins the accepted call by itself: new share in the same role, timer from the answer', async () => {
      const t = await setup();
      t.controller.onSessionCalls([live('callee')], false);
      expect(t.controller.view.value).toMatchObject({
        kind: 'in_call',
        callId: incomingId,
        direction: 'incoming',
        connectedAt: 1_000_000 - 65_000,
      });
      expect(t.controller.timerText.value).toBe('1:05');
      expect(t.controller.mediaReconnecting.value).toBe(true);
      await settle(() => t.types().includes('call.rejoin'));
      const rejoin = t.sent.find((m) => m.type === 'call.rejoin');
      expect(rejoin?.body.sdp).toMatch(/^v=0 offer/);
      const share = rejoin?.body.keyShare as KeyShare;
      const signedAs = { callId: incomingId, username: 'alice', deviceId: 'device_a001' };
      await expect(
        verifyKeyShare(share, { ...signedAs, role: 'callee' }, t.alice.identityKey, t.freshness()),
      ).resolves.toBeUndefined();
      await expect(
        verifyKeyShare(share, { ...signedAs, role: 'caller' }, t.alice.identityKey, t.freshness()),
      ).rejects.toThrow();

      const rejoined = await t.bob.rejoinMessage('call.rejoined', incomingId, 'caller');
      await t.controller.onNotice(rejoined);
      const engine = t.engines[0]!;
      expect(engine.calls).toEqual([
        'createOffer',
        'applyAnswer:v=0 bob call.rejoined',
        'releaseLocalCandidates',
      ]);
      expect(engine.workerMessages.map((m) => m.kind)).toEqual(['setSendKey', 'setReceiveKey']);
      // A resent duplicate changes nothing.
      await t.controller.onNotice(rejoined);
      expect(engine.calls).toHaveLength(3);
      engine.events.connectionState('connected');
      expect(t.controller.mediaReconnecting.value).toBe(false);
      expect(t.controller.view.value.kind).toBe('in_call');
    });

    test('a grown call still on p2p (its third only rung) is rejoined over its 1:1 connection; the group side hears once the answer is applied, and the call can grow again', async () => {
      const t = await setup();
      t.controller.onSessionCalls([{ ...live('caller'), group: { slot: 0, path: 'p2p' } }], false);
      expect(t.controller.view.value).toMatchObject({ kind: 'in_call', direction: 'outgoing' });
      await settle(() => t.types().includes('call.rejoin'));
      // Not before Bob's answer verified: the group side's room.rejoin must follow our call.rejoin.
      expect(t.rejoinNews).toEqual([]);
      expect(t.controller.growable()).toBeNull();

      await t.controller.onNotice(await t.bob.rejoinMessage('call.rejoined', incomingId, 'callee'));
      expect(t.rejoinNews).toEqual([`back ${incomingId}`]);
      expect(t.controller.growable()).toMatchObject({
        callId: incomingId,
        ownSlot: 0,
        peer: { slot: 1, user: { username: 'bob' } },
      });
    });

    test('a rejoin answer that fails verification tells the group side nothing', async () => {
      const t = await setup();
      t.controller.onSessionCalls([{ ...live('caller'), group: { slot: 0, path: 'p2p' } }], false);
      await settle(() => t.types().includes('call.rejoin'));
      // Signed for the wrong role: refused, and the call hangs up.
      await t.controller.onNotice(await t.bob.rejoinMessage('call.rejoined', incomingId, 'caller'));
      expect(t.types().at(-1)).toBe('call.hangup');
      expect(t.rejoinNews).toEqual([]);
    });

    test('nothing is rejoined for a call this page is in, or that it has just ended', async () => {
      const t = await setup();
      await t.controller.call('bob', 'video');
      t.controller.onSessionCalls([live('caller')], false);
      expect(t.types()).not.toContain('call.rejoin');
      t.controller.cancel();
      t.controller.onSessionCalls([{ ...live('caller'), state: 'ringing' }], false);
      expect(t.types()).not.toContain('call.rejoin');
    });

    test('a rejoined reply signed for the wrong role is refused and hangs up', async () => {
      const t = await setup();
      t.controller.onSessionCalls([live('caller')], false);
      await settle(() => t.types().includes('call.rejoin'));
      await t.controller.onNotice(await t.bob.rejoinMessage('call.rejoined', incomingId, 'caller'));
      expect(t.engines[0]?.calls).toEqual(['createOffer']);
      expect(t.types().at(-1)).toBe('call.hangup');
      expect(t.controller.notice.value?.reason).toBe('identity_failed');
    });

    test('the peer rejoins: verified like a new call, a new connection keeps our media, call.rejoined answers', async () => {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      await t.controller.onNotice(await t.bob.accept(callId));
      const engine = t.engines[0]!;
      engine.events.connectionState('connected');

      const rejoin = await t.bob.rejoinMessage('call.rejoin', callId, 'callee');
      await t.controller.onNotice(rejoin);
      // Bob lost his keys: a group call this grew into forgets his member share.
      expect(t.rejoinNews).toEqual([`peer ${callId}`]);
      expect(engine.calls.slice(-3)).toEqual([
        'newConnection',
        'answerOffer:v=0 bob call.rejoin',
        'releaseLocalCandidates',
      ]);
      expect(engine.closed).toBe(false);
      expect(t.engines).toHaveLength(1);
      const rejoined = t.sent.find((m) => m.type === 'call.rejoined');
      await expect(
        verifyKeyShare(
          rejoined?.body.keyShare as KeyShare,
          { role: 'caller', callId, username: 'alice', deviceId: 'device_a001' },
          t.alice.identityKey,
          t.freshness(),
        ),
      ).resolves.toBeUndefined();
      expect(t.controller.mediaReconnecting.value).toBe(true);
      // Once more (a resend): the connection is not rebuilt, and nothing more is forgotten.
      await t.controller.onNotice(rejoin);
      expect(engine.calls.filter((c) => c === 'newConnection')).toHaveLength(1);
      expect(t.rejoinNews).toEqual([`peer ${callId}`]);
      engine.events.connectionState('connected');
      expect(t.controller.mediaReconnecting.value).toBe(false);

      // Later SDP must carry the new connection's certificate.
      const restart = sdp('v=0 restart', rejoin.keyShare.fingerprint);
      await t.controller.onNotice({ v: 1, type: 'call.offer', callId, sdp: restart });
      expect(engine.calls.at(-1)).toBe('applyOffer:v=0 restart:impolite');
    });

    test('a rejoin whose SDP fingerprint was swapped is refused before anything is applied', async () => {
      const t = await setup();
      await t.controller.onNotice(await t.bob.invite(incomingId));
      await t.controller.accept('video');
      const rejoin = await t.bob.rejoinMessage('call.rejoin', incomingId, 'caller');
      const swapped = { ...rejoin, sdp: sdp('v=0 swapped', randomFingerprint()) };
      await t.controller.onNotice(swapped);
      expect(t.engines[0]?.calls).not.toContain('newConnection');
      expect(t.types().at(-1)).toBe('call.hangup');
      expect(t.controller.notice.value?.reason).toBe('identity_failed');
    });
  });

  describe('signaling lost during a call', () => {
    /** Alice called Bob and they are talking. */
    async function inCall() {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      await t.controller.onNotice(await t.bob.accept(callId));
      t.engines[0]?.events.connectionState('connected');
      const live: LiveCall = {
        callId,
        peer: { username: 'bob', displayName: 'Bob' },
        media: 'video',
        role: 'caller',
        state: 'accepted',
        answeredAt: 1_000_000,
      };
      return { ...t, callId, live };
    }

    test('the call goes on and says it is reconnecting; the resume ends the notice', async () => {
      const t = await inCall();
      t.controller.onDisconnected();
      expect(t.controller.view.value.kind).toBe('in_call');
      expect(t.controller.signalingLost.value).toBe(true);
      expect(t.engines[0]?.closed).toBe(false);
      // A mute meanwhile is handed to signaling, whose outbox delivers it after the resume.
      t.controller.media.toggleMute();
      expect(t.sent.at(-1)).toMatchObject({ type: 'call.media', body: { audio: false } });

      t.controller.onSessionCalls([t.live], true);
      expect(t.controller.signalingLost.value).toBe(false);
      expect(t.controller.view.value.kind).toBe('in_call');
      t.advance(5_000);
      t.controller.hangup();
      expect(t.controller.notice.value).toEqual({ reason: 'hangup', text: 'Call ended · 0:05' });
    });

    test('a call the server no longer lists ended while we were away: connection lost', async () => {
      for (const resumed of [true, false]) {
        const t = await inCall();
        t.controller.onDisconnected();
        t.advance(12_000);
        t.controller.onSessionCalls([{ ...t.live, callId: incomingId }], resumed);
        expect(t.controller.notice.value).toEqual({
          reason: 'connection_lost',
          text: `The connection to ${BOB} was lost · 0:12`,
        });
        expect(t.controller.signalingLost.value).toBe(false);
        expect(t.engines[0]?.closed).toBe(true);
        expect(t.types()).not.toContain('call.hangup'); // the server ended it already
      }
    });

    test('a ringing call is missed when the stream is new, and waits for notices when resumed', async () => {
      const resumed = await setup();
      await resumed.controller.onNotice(await resumed.bob.invite(incomingId));
      resumed.controller.onDisconnected();
      resumed.controller.onSessionCalls([], true);
      expect(resumed.controller.view.value.kind).toBe('incoming');

      const restarted = await setup();
      await restarted.controller.onNotice(await restarted.bob.invite(incomingId));
      restarted.controller.onDisconnected();
      restarted.controller.onSessionCalls([], false);
      expect(restarted.controller.notice.value?.reason).toBe('missed');
    });

    test('a call we just answered is not listed until our accept arrives, so it goes on', async () => {
      const t = await setup();
      await t.controller.onNotice(await t.bob.invite(incomingId));
      await t.controller.accept('video');
      t.controller.onDisconnected();
      t.controller.onSessionCalls([], true);
      expect(t.controller.view.value.kind).toBe('connecting');
      expect(t.engines[0]?.closed).toBe(false);
    });

    test('signaling stopped for good (signed out) ends the call as connection lost', async () => {
      const t = await inCall();
      t.controller.onSignedOut();
      expect(t.controller.notice.value?.reason).toBe('connection_lost');
      expect(t.engines[0]?.closed).toBe(true);
      await flush();
    });
  });

  test('late messages for an ended call do not touch the next one', async () => {
    const t = await setup();
    await t.controller.call('bob', 'video');
    const first = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    t.controller.cancel();
    await t.controller.call('bob', 'video');
    const current = t.controller.view.value;
    t.controller.onNotice({ v: 1, type: 'call.decline', callId: first });
    t.controller.onCallError({
      v: 1,
      type: 'error',
      re: null,
      code: 'unknown_call',
      message: 'x',
      callId: first,
    });
    expect(t.controller.view.value).toBe(current);
  });

  describe('end-to-end encryption', () => {
    const refusedText = `${BOB}'s encryption keys could not be verified, so the call was not connected.`;

    async function dialBob(t: Awaited<ReturnType<typeof setup>>) {
      await t.controller.call('bob', 'video');
      const invite = t.sent.find((m) => m.type === 'call.invite')?.body;
      return { callId: invite?.callId as string, invite };
    }

    test('the invite carries a key share signed by this device for the offer it sends', async () => {
      const t = await setup();
      const { callId, invite } = await dialBob(t);
      const share = invite?.keyShare as {
        fingerprint: string;
        signedAt: number;
        signature: string;
        ephemeralKey: string;
      };
      expect(share.fingerprint).toBe(t.engines[0]?.fingerprint);
      const { verifyKeyShare } = await import('../../../renderer/keys/callKeyShare');
      await expect(
        verifyKeyShare(
          share,
          { role: 'caller', callId, username: 'alice', deviceId: 'device_a001' },
          t.alice.identityKey,
          t.freshness(),
        ),
      ).resolves.toBeUndefined();
    });

    test('a verified accept gives the worker both keys before the answer is applied, and pins Bob', async () => {
      const t = await setup();
      const { callId } = await dialBob(t);
      await t.controller.onNotice(await t.bob.accept(callId));
      const engine = t.engines[0];
      expect(engine?.workerMessages.map((m) => [m.kind, 'kid' in m ? m.kid : null])).toEqual([
        ['setSendKey', 0n],
        ['setReceiveKey', 1n << 16n],
      ]);
      expect(engine?.calls).toContain('applyAnswer:v=0 answer');
      expect(t.pins.pins.get('bob')).toMatchObject({
        identityKey: t.bob.device.identityKey,
        verified: false,
      });
      // Bob asks for a new epoch: our next frames use KID epoch 1.
      t.controller.onNotice({ v: 1, type: 'call.rekey', callId });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(engine?.workerMessages.at(-1)).toMatchObject({ kind: 'setSendKey', kid: 1n });
      // The worker's counts drive the status the call screen shows.
      expect(t.controller.e2eeState.value).toBe('negotiating');
      engine?.events.e2eeCounts({
        audio: { encrypted: 40, encryptFailed: 0, decrypted: 35, decryptFailed: 0 },
        video: { encrypted: 30, encryptFailed: 0, decrypted: 25, decryptFailed: 0 },
      });
      expect(t.controller.e2eeState.value).toBe('encrypted');
      expect(t.controller.e2eeStatus.value).toEqual({ audio: 'encrypted', video: 'encrypted' });
      expect(t.controller.e2eeText.value).toBe('End-to-end encrypted');
    });

    test('caller: an accept whose SDP fingerprint was swapped hangs up and never applies the answer', async () => {
      const t = await setup();
      const { callId } = await dialBob(t);
      const accept = await t.bob.accept(callId);
      const tampered = { ...accept, sdp: sdp('v=0 answer', randomFingerprint()) };
      await t.controller.onNotice(tampered);
      expect(t.engines[0]?.calls).toEqual(['createOffer']);
      expect(t.engines[0]?.workerMessages).toEqual([]);
      expect(t.engines[0]?.closed).toBe(true);
      expect(t.sent.at(-1)).toEqual({
        type: 'call.hangup',
        body: { callId, reason: 'identity_failed' },
      });
      expect(t.controller.notice.value).toEqual({ reason: 'identity_failed', text: refusedText });
    });

    test('caller: an accept from a root other than the pinned one is refused', async () => {
      const t = await setup();
      const impostor = await TestDevice.create('bob', 'device_b001');
      await t.pins.putPin({
        username: 'bob',
        identityKey: impostor.identityKey,
        verified: true,
        firstSeenAt: 1,
      });
      const { callId } = await dialBob(t);
      await t.controller.onNotice(await t.bob.accept(callId));
      expect(t.engines[0]?.calls).toEqual(['createOffer']);
      expect(t.controller.notice.value?.reason).toBe('identity_failed');
    });

    test('callee: an invite whose key share is not signed by the caller declines before ringing', async () => {
      const t = await setup();
      const invite = await t.bob.invite(incomingId);
      const mallory = await TestDevice.create('bob', 'device_b001');
      const forged = {
        ...invite,
        keyShare: await createKeyShare(
          mallory,
          { role: 'caller', callId: incomingId, username: 'bob', deviceId: 'device_b001' },
          (await CallKeyAgreement.create()).publicKey,
          invite.keyShare.fingerprint,
        ),
      };
      await t.controller.onNotice(forged);
      expect(t.sent).toEqual([
        { type: 'call.decline', body: { callId: incomingId, reason: 'identity_failed' } },
      ]);
      expect(t.engines).toEqual([]);
      expect(t.controller.view.value.kind).toBe('idle');
      expect(t.controller.notice.value).toEqual({ reason: 'identity_failed', text: refusedText });
      expect(t.pins.pins.size).toBe(0);
    });

    test('callee: an invite whose key share is over 5 minutes old declines before ringing', async () => {
      const t = await setup();
      const signedAt = 1_000_000 - KEY_SHARE_MAX_AGE_MS - 1;
      t.bob.device.clock = () => signedAt;
      await t.controller.onNotice(await t.bob.invite(incomingId));
      expect(t.types()).toEqual(['call.decline']);
      expect(t.engines).toEqual([]);
      expect(t.controller.notice.value).toEqual({ reason: 'identity_failed', text: refusedText });
    });

    test('callee: the same invite delivered again after it rang declines, never rings twice', async () => {
      const t = await setup();
      const invite = await t.bob.invite(incomingId);
      await t.controller.onNotice(invite);
      t.controller.onNotice({ v: 1, type: 'call.cancel', callId: incomingId, reason: 'cancelled' });
      expect(t.types()).toEqual(['call.ringing']);
      t.advance(60_000);
      await t.controller.onNotice(invite);
      expect(t.types()).toEqual(['call.ringing', 'call.decline']);
      expect(t.controller.view.value.kind).toBe('idle');
      expect(t.controller.notice.value).toEqual({ reason: 'identity_failed', text: refusedText });
    });

    test('callee: an invite from a changed root still rings, so the incoming screen can warn', async () => {
      const t = await setup();
      const old = await TestDevice.create('bob', 'device_b000');
      await t.pins.putPin({
        username: 'bob',
        identityKey: old.identityKey,
        verified: true,
        firstSeenAt: 1,
      });
      await t.controller.onNotice(await t.bob.invite(incomingId));
      expect(t.types()).toEqual(['call.ringing']);
      expect(t.pins.pins.get('bob')?.identityKey).toBe(old.identityKey);
    });

    test('callee: the caller cancelling while its invite is verified never rings', async () => {
      const t = await setup();
      const verifying = t.controller.onNotice(await t.bob.invite(incomingId));
      t.controller.onNotice({ v: 1, type: 'call.cancel', callId: incomingId, reason: 'cancelled' });
      await verifying;
      expect(t.types()).toEqual([]);
      expect(t.controller.view.value.kind).toBe('idle');
    });

    test('callee: accepting gives the worker the callee send key and the caller receive key', async () => {
      const t = await setup();
      await t.controller.onNotice(await t.bob.invite(incomingId));
      await t.controller.accept('video');
      const engine = t.engines[0];
      expect(engine?.workerMessages.map((m) => [m.kind, 'kid' in m ? m.kid : null])).toEqual([
        ['setSendKey', 1n << 16n],
        ['setReceiveKey', 0n],
      ]);
      const accept = t.sent.at(-1)?.body as { keyShare: { fingerprint: string } };
      expect(accept.keyShare.fingerprint).toBe(engine?.fingerprint);
    });
  });

  describe('calls that connect while they ring', () => {
    /** How a call that rings here ends without being answered here. */
    const endsWhileRinging: [string, (t: Awaited<ReturnType<typeof setup>>) => void][] = [
      ['declines', (t) => t.controller.decline()],
      [
        'is answered elsewhere',
        (t) =>
          t.controller.onNotice({
            v: 1,
            type: 'call.cancel',
            callId: incomingId,
            reason: 'answered_elsewhere',
          }),
      ],
      [
        'is cancelled',
        (t) =>
          t.controller.onNotice({
            v: 1,
            type: 'call.cancel',
            callId: incomingId,
            reason: 'cancelled',
          }),
      ],
      [
        'times out',
        (t) => t.controller.onNotice({ v: 1, type: 'call.timeout', callId: incomingId }),
      ],
    ];

    const early = (t: Awaited<ReturnType<typeof setup>>) =>
      t.sent.find((m) => m.type === 'call.preconnect')?.body as {
        callId: string;
        sdp: string;
        keyShare: KeyShare;
      };

    test('the callee answers early with its keys agreed, opens no device and shows nothing until it accepts', async () => {
      const t = await setup({ preconnect: true });
      await t.controller.onNotice(await t.bob.invite(incomingId));
      t.controller.onNotice({ v: 1, type: 'call.ice', callId: incomingId, candidate: null });
      await settle(() => t.types().includes('call.preconnect'));
      const engine = t.engines[0]!;
      expect(t.types()).toEqual(['call.ringing', 'call.preconnect']);
      expect(engine.calls).toEqual(['answerOfferHeld:v=0 bob offer', 'releaseLocalCandidates']);
      // The caller's candidates wait until it takes this device's early answer.
      expect(engine.remoteCandidates).toEqual([]);
      t.controller.onNotice({ v: 1, type: 'call.preconnected', callId: 'some-other-call' });
      expect(engine.remoteCandidates).toEqual([]);
      t.controller.onNotice({ v: 1, type: 'call.preconnected', callId: incomingId });
      expect(engine.remoteCandidates).toEqual([null]);
      const later = {
        candidate: 'candidate:2',
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'u',
      };
      t.controller.onNotice({ v: 1, type: 'call.ice', callId: incomingId, candidate: later });
      expect(engine.remoteCandidates).toEqual([null, later]);
      // The keys were in the worker before anything could connect.
      expect(engine.workerMessages.length).toBeGreaterThan(0);
      const sent = early(t);
      expect(sdpName(sent.sdp)).toBe('v=0 early answer');
      expect(sent.keyShare.fingerprint).toBe(engine.fingerprint);

      // Connected while ringing: still ringing, nothing shown or played.
      engine.events.remoteStream({ getVideoTracks: () => [{}] } as unknown as MediaStream);
      engine.reach('connected');
      expect(t.controller.view.value.kind).toBe('incoming');
      expect(t.controller.remoteStream.value).toBeNull();
      expect(t.controller.media.localStream.value).toBeNull();

      await t.controller.accept('video');
      // The accept repeats the early answer; only the devices are left to open; no second engine.
      expect(t.sent.at(-1)).toEqual({
        type: 'call.accept',
        body: { callId: incomingId, media: 'video', sdp: sent.sdp, keyShare: sent.keyShare },
      });
      expect(engine.calls.slice(2)).toEqual(['openMedia:video']);
      expect(t.engines).toHaveLength(1);
      expect(t.controller.view.value.kind).toBe('in_call');
      expect(t.controller.remoteStream.value).not.toBeNull();
    });

    test('a device whose early answer the caller did not take connects only once its user accepts', async () => {
      const t = await setup({ preconnect: true });
      await t.controller.onNotice(await t.bob.invite(incomingId));
      t.controller.onNotice({ v: 1, type: 'call.ice', callId: incomingId, candidate: null });
      await settle(() => t.types().includes('call.preconnect'));
      const engine = t.engines[0]!;
      expect(engine.remoteCandidates).toEqual([]);
      await t.controller.accept('video');
      expect(t.types().at(-1)).toBe('call.accept');
      expect(engine.remoteCandidates).toEqual([null]);
    });

    test('accepting while the early answer is still being made waits for it and sends it first', async () => {
      const t = await setup({ preconnect: true });
      const ringing = t.controller.onNotice(await t.bob.invite(incomingId));
      await ringing;
      await t.controller.accept('audio');
      expect(t.types()).toEqual(['call.ringing', 'call.preconnect', 'call.accept']);
      expect(t.sent.at(-1)?.body).toMatchObject({ media: 'audio', sdp: early(t).sdp });
      expect(t.engines[0]?.calls.at(-1)).toBe('openMedia:audio');
      // Not connected yet: the call connects as the connection comes up.
      expect(t.controller.view.value.kind).toBe('connecting');
      t.engines[0]?.reach('connected');
      expect(t.controller.view.value.kind).toBe('in_call');
    });

    /** Bob's call rings here and connects early, then ends by `end`, unanswered here. */
    async function preconnectedThenEnded(end: (t: Awaited<ReturnType<typeof setup>>) => void) {
      const t = await setup({ preconnect: true });
      await t.controller.onNotice(await t.bob.invite(incomingId));
      await settle(() => t.types().includes('call.preconnect'));
      end(t);
      return t;
    }

    test.each(endsWhileRinging)(
      'the pre-connection closes when the call %s',
      async (_what, end) => {
        const t = await preconnectedThenEnded(end);
        expect(t.engines[0]?.closed).toBe(true);
        expect(t.engines[0]?.calls).not.toContain('openMedia:video');
        expect(t.controller.view.value.kind).toBe('idle');
      },
    );

    test.each(endsWhileRinging)(
      'nothing of the pre-connected call stays open when the call %s: a device opening late stops at once',
      async (_what, end) => {
        const t = await preconnectedThenEnded(end);
        const late = fakeTrack('audio');
        t.locals[0]!.take({ microphone: late, camera: null });
        expect(late.readyState).toBe('ended');
        expect(t.engines[0]?.closed).toBe(true);
        expect(t.controller.growable()).toBeNull();
      },
    );

    test('a call that may not pre-connect (no engine for it) connects on accept as before', async () => {
      const t = await setup({ preconnect: true });
      const invite = await t.bob.invite(incomingId);
      const stranger = { ...invite, from: { ...invite.from, username: 'mallory' } };
      await t.controller.onNotice(stranger);
      expect(t.types()).not.toContain('call.preconnect');
      expect(t.engines).toHaveLength(0);
    });

    async function ringingCaller() {
      const t = await setup();
      await t.controller.call('bob', 'video');
      const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
      t.controller.onNotice({ v: 1, type: 'call.ringing', callId });
      return { ...t, callId, engine: t.engines[0]! };
    }

    test('the caller takes a verified early answer provisionally and sends nothing until the accept repeats it', async () => {
      const t = await ringingCaller();
      const pre = await t.bob.preconnect(t.callId);
      const ice = {
        candidate: 'candidate:1',
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'u',
      };
      // Its candidate before the early answer is kept for it, another device's is kept apart.
      t.controller.onNotice({
        v: 1,
        type: 'call.ice',
        callId: t.callId,
        candidate: ice,
        deviceId: 'device_b001',
      });
      t.controller.onNotice({
        v: 1,
        type: 'call.ice',
        callId: t.callId,
        candidate: null,
        deviceId: 'device_b002',
      });
      await t.controller.onNotice(pre);
      expect(t.engine.calls).toEqual([
        'createOffer',
        'applyProvisionalAnswer:v=0 early answer',
        'releaseLocalCandidates',
      ]);
      expect(t.engine.remoteCandidates).toEqual([ice]);
      // That device alone is told to connect.
      expect(t.sent.at(-1)).toEqual({
        type: 'call.preconnected',
        body: { callId: t.callId, deviceId: pre.deviceId },
      });
      // Keys agreed: the worker may decrypt at once, but has nothing to encrypt with yet.
      const kinds = () => t.engine.workerMessages.map((m) => m.kind);
      expect(kinds()).toEqual(['setReceiveKey']);
      t.engine.reach('connected');
      expect(t.controller.view.value).toMatchObject({ kind: 'outgoing', phase: 'ringing' });
      expect(t.types()).not.toContain('call.hangup');

      await t.controller.onNotice(t.bob.acceptRepeating(pre));
      expect(t.engine.calls.slice(3)).toEqual([
        'applyAnswer:v=0 early answer',
        'releaseLocalCandidates',
        'releaseMedia',
      ]);
      // The share was verified once (a second check would have refused it as a replay).
      expect(t.controller.view.value.kind).toBe('in_call');
      // The accept adds only the sending key (a receive key set twice would start over).
      expect(kinds()).toEqual(['setReceiveKey', 'setSendKey']);
      expect(t.engine.remoteCandidates).toEqual([ice]);
    });

    test('an accept that does not repeat the early answer taken is refused as a failed verification', async () => {
      const t = await ringingCaller();
      const pre = await t.bob.preconnect(t.callId);
      await t.controller.onNotice(pre);
      await t.controller.onNotice(await t.bob.accept(t.callId));
      expect(t.types().at(-1)).toBe('call.hangup');
      expect(t.controller.notice.value?.reason).toBe('identity_failed');
      expect(t.engine.calls).not.toContain('releaseMedia');
    });

    test('an early answer that fails verification is ignored: the call rings on, connecting nothing', async () => {
      const t = await ringingCaller();
      const forger = await TestDevice.create('bob', 'device_b001');
      await t.controller.onNotice(await t.bob.preconnect(t.callId, 'v=0 forged', forger));
      expect(t.engine.calls).toEqual(['createOffer']);
      expect(t.types()).not.toContain('call.preconnected');
      expect(t.controller.view.value).toMatchObject({ kind: 'outgoing', phase: 'ringing' });
      // The next one that verifies is taken.
      await t.controller.onNotice(await t.bob.preconnect(t.callId));
      expect(t.engine.calls.at(-2)).toBe('applyProvisionalAnswer:v=0 early answer');
    });

    test('another device accepting is verified as usual, gets its own keys and its kept candidates', async () => {
      const t = await ringingCaller();
      await t.controller.onNotice(await t.bob.preconnect(t.callId));
      const phoneIce = {
        candidate: 'candidate:9',
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: 'p',
      };
      t.controller.onNotice({
        v: 1,
        type: 'call.ice',
        callId: t.callId,
        candidate: phoneIce,
        deviceId: 'device_b002',
      });
      expect(t.engine.remoteCandidates).toEqual([]);
      const phone = await TestDevice.create('bob', 'device_b002');
      phone.clock = t.bob.device.clock;
      const fingerprint = randomFingerprint();
      const context = {
        role: 'callee' as const,
        callId: t.callId,
        username: 'bob',
        deviceId: 'device_b002',
      };
      const taken = t.engine.workerMessages.slice();
      expect(taken.map((m) => m.kind)).toEqual(['setReceiveKey']);
      await t.controller.onNotice({
        v: 1,
        type: 'call.accept',
        callId: t.callId,
        media: 'audio',
        sdp: sdp('v=0 phone answer', fingerprint),
        deviceId: 'device_b002',
        identity: await chainOf([t.bob.device, phone]),
        keyShare: await createKeyShare(
          phone,
          context,
          (await CallKeyAgreement.create()).publicKey,
          fingerprint,
        ),
      });
      expect(t.controller.notice.value).toBeNull();
      expect(t.engine.calls.slice(-3)).toEqual([
        'applyAnswer:v=0 phone answer',
        'releaseLocalCandidates',
        'releaseMedia',
      ]);
      expect(t.engine.remoteCandidates).toEqual([phoneIce]);
      // The answering device's keys replace the early one's for its frames, and we send with them.
      const accepted = t.engine.workerMessages.slice(1);
      expect(accepted.map((m) => m.kind).sort()).toEqual(['setReceiveKey', 'setSendKey']);
      const receive = (m: (typeof accepted)[number]) =>
        m.kind === 'setReceiveKey' ? Buffer.from(m.baseKey).toString('hex') : null;
      expect(receive(accepted.find((m) => m.kind === 'setReceiveKey')!)).not.toBe(
        receive(taken[0]!),
      );
      expect(t.controller.view.value.kind).toBe('connecting');
    });
  });
});
