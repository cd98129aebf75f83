import type { CallMedia } from '../../../protocol';
import type { CallEngine, CallEngineEvents } from '../../../renderer/call/CallEngine';
import { MediaAccessError } from '../../../renderer/call/mediaErrors';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { CallController } from '../../../renderer/state/CallController';

/**
 * RTCPeerConnection does not exist under Node, so the engine here is a stand-in that records
 * what the controller asked of it; the browser path is covered by the e2e suite.
 */
class StandInEngine {
  readonly calls: string[] = [];
  readonly remoteCandidates: unknown[] = [];
  readonly localStream = { getVideoTracks: () => [] } as unknown as MediaStream;
  closed = false;
  constructor(
    readonly media: CallMedia,
    readonly events: CallEngineEvents,
  ) {}
  get hasVideo() {
    return this.media === 'video';
  }
  async createOffer() {
    this.calls.push('createOffer');
    return 'v=0 offer';
  }
  async answerOffer(sdp: string) {
    this.calls.push(`answerOffer:${sdp}`);
    return 'v=0 answer';
  }
  async applyAnswer(sdp: string) {
    this.calls.push(`applyAnswer:${sdp}`);
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

const flush = () => new Promise((resolve) => setImmediate(resolve));
const bobInvite = (callId: string) =>
  ({
    v: 1,
    type: 'call.invite',
    callId,
    from: { username: 'bob', displayName: 'Bob', deviceId: 'device_b001' },
    media: 'video',
    sdp: 'v=0 bob offer',
  }) as const;
const incomingId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

function setup(options: { inviteError?: SignalingError; mediaError?: string } = {}) {
  const sent: { type: string; body: Record<string, unknown> }[] = [];
  const engines: StandInEngine[] = [];
  let clock = 1_000_000;
  let ended = 0;
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
    },
    openEngine: async (media, events) => {
      if (options.mediaError)
        throw new MediaAccessError(new DOMException('no', options.mediaError));
      const engine = new StandInEngine(media, events);
      engines.push(engine);
      return engine as unknown as CallEngine;
    },
    knownPeer: (username) => (username === 'bob' ? { username, displayName: 'Bob' } : null),
    lookupPeer: async () => null,
    onCallEnded: () => void (ended += 1),
    now: () => clock,
  });
  return {
    controller,
    sent,
    engines,
    types: () => sent.map((m) => m.type),
    advance: (ms: number) => void (clock += ms),
    endedCount: () => ended,
  };
}

describe('CallController', () => {
  test('a caller dials, rings, is answered, connects, and hangs up with the duration', async () => {
    const t = setup();
    await t.controller.call(' Bob ', 'video');
    const view = t.controller.view.value;
    expect(view).toMatchObject({
      kind: 'outgoing',
      phase: 'calling',
      peer: { displayName: 'Bob' },
    });
    const invite = t.sent.find((m) => m.type === 'call.invite');
    expect(invite?.body).toMatchObject({ to: 'bob', media: 'video', sdp: 'v=0 offer' });
    const callId = invite?.body.callId as string;

    t.controller.onRinging({ v: 1, type: 'call.ringing', callId });
    expect(t.controller.view.value).toMatchObject({ phase: 'ringing' });
    await t.controller.onAccept({
      v: 1,
      type: 'call.accept',
      callId,
      media: 'video',
      sdp: 'v=0 answer',
      deviceId: 'device_b001',
    });
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

  test('mute and camera off change the tracks and tell the peer', async () => {
    const t = setup();
    await t.controller.call('bob', 'video');
    t.controller.toggleMute();
    t.controller.toggleCamera();
    expect(t.engines[0]?.calls.slice(-2)).toEqual(['mic:false', 'camera:false']);
    expect(t.sent.filter((m) => m.type === 'call.media').map((m) => m.body)).toEqual([
      expect.objectContaining({ audio: false, video: true }),
      expect.objectContaining({ audio: false, video: false }),
    ]);
    expect(t.controller.muted.value && t.controller.cameraOff.value).toBe(true);
  });

  test('a callee rings back, accepts with video, and gets the caller’s early candidates', async () => {
    const t = setup();
    t.controller.onInvite(bobInvite(incomingId));
    expect(t.types()).toEqual(['call.ringing']);
    expect(t.controller.view.value).toMatchObject({
      kind: 'incoming',
      peer: { displayName: 'Bob' },
    });
    t.controller.onIce({ v: 1, type: 'call.ice', callId: incomingId, candidate: null });
    await t.controller.accept('video');
    expect(t.engines[0]?.calls).toEqual(['answerOffer:v=0 bob offer', 'releaseLocalCandidates']);
    expect(t.engines[0]?.remoteCandidates).toEqual([null]);
    expect(t.sent.at(-1)).toEqual({
      type: 'call.accept',
      body: { callId: incomingId, media: 'video', sdp: 'v=0 answer' },
    });
    t.controller.onHangup({ v: 1, type: 'call.hangup', callId: incomingId, reason: 'hangup' });
    expect(t.controller.notice.value?.reason).toBe('remote_hangup');
  });

  test.each([
    ['call.decline', 'declined', 'Bob declined the call'],
    ['call.busy', 'busy', 'Bob is busy on another call'],
    ['call.timeout', 'no_answer', 'No answer from Bob'],
  ] as const)('the caller hears %s and the notice says %s', async (type, reason, text) => {
    const t = setup();
    await t.controller.call('bob', 'audio');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    const handlers = {
      'call.decline': () => t.controller.onDecline({ v: 1, type: 'call.decline', callId }),
      'call.busy': () => t.controller.onBusy({ v: 1, type: 'call.busy', callId }),
      'call.timeout': () => t.controller.onTimeout({ v: 1, type: 'call.timeout', callId }),
    };
    handlers[type]();
    expect(t.controller.notice.value).toEqual({ reason, text });
    expect(t.engines[0]?.closed).toBe(true);
  });

  test('the callee sees a missed call when the caller cancels or the ring times out', () => {
    for (const end of ['cancel', 'timeout'] as const) {
      const t = setup();
      t.controller.onInvite(bobInvite(incomingId));
      if (end === 'cancel') {
        t.controller.onCancel({
          v: 1,
          type: 'call.cancel',
          callId: incomingId,
          reason: 'cancelled',
        });
      } else {
        t.controller.onTimeout({ v: 1, type: 'call.timeout', callId: incomingId });
      }
      expect(t.controller.notice.value).toEqual({ reason: 'missed', text: 'Missed call from Bob' });
    }
  });

  test('cancelling sends call.cancel and both notices read right', async () => {
    const t = setup();
    await t.controller.call('bob', 'video');
    t.controller.cancel();
    expect(t.types().at(-1)).toBe('call.cancel');
    expect(t.controller.notice.value?.reason).toBe('cancelled');
  });

  test('glare: their invite while we call them ends our attempt and rings here instead', async () => {
    const t = setup();
    await t.controller.call('bob', 'video');
    t.controller.onInvite(bobInvite(incomingId));
    expect(t.engines[0]?.closed).toBe(true);
    expect(t.controller.view.value).toMatchObject({ kind: 'incoming', callId: incomingId });
  });

  test('an invite from someone else while in a call changes nothing', async () => {
    const t = setup();
    await t.controller.call('carol', 'video');
    const before = t.controller.view.value;
    t.controller.onInvite(bobInvite(incomingId));
    expect(t.controller.view.value).toBe(before);
    expect(t.types()).not.toContain('call.ringing');
  });

  test('a refused invite ends with the reason the server gave', async () => {
    const t = setup({ inviteError: new SignalingError('callee_offline', 'They are offline.') });
    await t.controller.call('bob', 'video');
    expect(t.controller.notice.value).toEqual({
      reason: 'callee_offline',
      text: 'Bob is offline. Try again later.',
    });
  });

  test('a name that cannot be a username ends as unknown user without sending anything', async () => {
    const t = setup();
    await t.controller.call('no such person!', 'video');
    expect(t.sent).toEqual([]);
    expect(t.controller.notice.value?.reason).toBe('unknown_user');
  });

  test('camera permission denied: the caller sees why; a callee also declines the call', async () => {
    const caller = setup({ mediaError: 'NotAllowedError' });
    await caller.controller.call('bob', 'video');
    expect(caller.types()).toEqual([]);
    expect(caller.controller.notice.value?.reason).toBe('permission_denied');

    const callee = setup({ mediaError: 'NotFoundError' });
    callee.controller.onInvite(bobInvite(incomingId));
    await callee.controller.accept('video');
    expect(callee.types()).toEqual(['call.ringing', 'call.decline']);
    expect(callee.controller.notice.value?.reason).toBe('no_device');
  });

  test('a failed peer connection hangs up; a lost signaling connection ends the call', async () => {
    const t = setup();
    await t.controller.call('bob', 'video');
    const callId = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    await t.controller.onAccept({
      v: 1,
      type: 'call.accept',
      callId,
      media: 'video',
      sdp: 'a',
      deviceId: 'device_b001',
    });
    t.engines[0]?.events.connectionState('failed');
    expect(t.types().at(-1)).toBe('call.hangup');
    expect(t.controller.notice.value?.reason).toBe('connection_failed');

    await t.controller.call('bob', 'video');
    t.controller.onDisconnected();
    expect(t.controller.notice.value?.reason).toBe('connection_lost');
    await flush();
  });

  test('late messages for an ended call do not touch the next one', async () => {
    const t = setup();
    await t.controller.call('bob', 'video');
    const first = t.sent.find((m) => m.type === 'call.invite')?.body.callId as string;
    t.controller.cancel();
    await t.controller.call('bob', 'video');
    const current = t.controller.view.value;
    t.controller.onDecline({ v: 1, type: 'call.decline', callId: first });
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
});
