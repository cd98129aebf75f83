import type { ServerMessageOf } from '../../../protocol';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { GIVE_UP_AFTER_MS } from '../../../renderer/state/ConnectionRecovery';
import { IceRestarts, MIN_RESTART_GAP_MS } from '../../../renderer/state/IceRestarts';
import { randomFingerprint, sdpWithFingerprint } from '../keys/testIdentity';

const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';
const peerFingerprint = randomFingerprint();
/** An SDP of the peer's, named by its first line. */
const peerSdp = (name: string, fingerprint = peerFingerprint) =>
  `${name}\r\n${sdpWithFingerprint(fingerprint)}`;

/** The connection as IceRestarts drives it; `collides` makes our own offer win (impolite). */
class StandInEngine {
  readonly calls: string[] = [];
  collides = false;
  async restartIce() {
    this.calls.push('restartIce');
    return 'v=0 our restart offer';
  }
  async applyOffer(sdp: string, polite: boolean) {
    this.calls.push(`applyOffer:${sdp.split('\r\n')[0]}:${polite ? 'polite' : 'impolite'}`);
    return this.collides && !polite ? null : 'v=0 our answer';
  }
  async applyLaterAnswer(sdp: string) {
    this.calls.push(`applyLaterAnswer:${sdp.split('\r\n')[0]}`);
    return true;
  }
  /** An offer of ours that a collision dropped, to send again after answering. */
  unsettled: string | null = null;
  async offerUnsettled() {
    return this.unsettled;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(role: { offerer: boolean; polite: boolean }) {
  const sent: { type: string; body: Record<string, unknown> }[] = [];
  const identityFailures: unknown[] = [];
  const gaveUp: boolean[] = [];
  let clock = 1_000_000;
  const restarts = new IceRestarts({
    signaling: {
      notify: ((type: string, body: Record<string, unknown>) => {
        sent.push({ type, body });
        return true;
      }) as never,
    },
    identityFailed: (_callId, error) => void identityFailures.push(error),
    gaveUp: (_callId, everConnected) => void gaveUp.push(everConnected),
    now: () => clock,
  });
  const engine = new StandInEngine();
  restarts.connecting(callId);
  restarts.use({ callId, engine, peerFingerprint, ...role });
  restarts.onConnectionState(callId, 'connected');
  return {
    restarts,
    engine,
    sent,
    identityFailures,
    gaveUp,
    types: () => sent.map((m) => m.type),
    advance: (ms: number) => void (clock += ms),
  };
}

const offer = (sdp: string): ServerMessageOf<'call.offer'> => ({
  v: 1,
  type: 'call.offer',
  callId,
  sdp,
});
const answer = (sdp: string): ServerMessageOf<'call.answer'> => ({
  v: 1,
  type: 'call.answer',
  callId,
  sdp,
});
const restart: ServerMessageOf<'call.restart'> = { v: 1, type: 'call.restart', callId };

describe('IceRestarts', () => {
  afterEach(() => jest.useRealTimers());

  test('offerer: a failed connection restarts ICE with call.offer, and the verified answer is applied', async () => {
    const t = setup({ offerer: true, polite: false });
    t.restarts.onConnectionState(callId, 'failed');
    expect(t.restarts.reconnecting.value).toBe(true);
    await flush();
    expect(t.engine.calls).toEqual(['restartIce']);
    expect(t.sent).toEqual([
      { type: 'call.offer', body: { callId, sdp: 'v=0 our restart offer' } },
    ]);

    await t.restarts.onAnswer(answer(peerSdp('v=0 their answer')));
    expect(t.engine.calls).toEqual(['restartIce', 'applyLaterAnswer:v=0 their answer']);
    t.restarts.onConnectionState(callId, 'connected');
    expect(t.restarts.reconnecting.value).toBe(false);
    t.restarts.reset();
  });

  test('answerer: a failed connection asks the offerer with call.restart, then answers its offer politely', async () => {
    const t = setup({ offerer: false, polite: true });
    t.restarts.onConnectionState(callId, 'failed');
    await flush();
    expect(t.types()).toEqual(['call.restart']);
    expect(t.engine.calls).toEqual([]);

    await t.restarts.onOffer(offer(peerSdp('v=0 their restart offer')));
    expect(t.engine.calls).toEqual(['applyOffer:v=0 their restart offer:polite']);
    expect(t.sent.at(-1)).toEqual({ type: 'call.answer', body: { callId, sdp: 'v=0 our answer' } });

    // The same offer resent (at-least-once delivery) gets no second answer.
    await t.restarts.onOffer(offer(peerSdp('v=0 their restart offer')));
    expect(t.types()).toEqual(['call.restart', 'call.answer']);
    t.restarts.reset();
  });

  test('glare: the polite side answers the winning offer, then offers again what its dropped offer carried', async () => {
    const t = setup({ offerer: false, polite: true });
    t.engine.unsettled = 'v=0 our camera offer again';
    await t.restarts.onOffer(offer(peerSdp('v=0 their camera offer')));
    expect(t.sent).toEqual([
      { type: 'call.answer', body: { callId, sdp: 'v=0 our answer' } },
      { type: 'call.offer', body: { callId, sdp: 'v=0 our camera offer again' } },
    ]);
    t.restarts.reset();
  });

  test('an ICE restart offer whose fingerprint is not the one the share signed is never applied', async () => {
    const t = setup({ offerer: false, polite: true });
    await t.restarts.onOffer(offer(peerSdp('v=0 swapped', randomFingerprint())));
    expect(t.engine.calls).toEqual([]);
    expect(t.types()).toEqual([]);
    expect(t.identityFailures).toHaveLength(1);
    expect(t.identityFailures[0]).toBeInstanceOf(IdentityVerificationError);
  });

  test('an answer whose fingerprint was swapped is never applied', async () => {
    const t = setup({ offerer: true, polite: false });
    t.restarts.onRestart(restart);
    await flush();
    await t.restarts.onAnswer(answer(peerSdp('v=0 swapped', randomFingerprint())));
    expect(t.engine.calls).toEqual(['restartIce']);
    expect(t.identityFailures).toHaveLength(1);
  });

  test('glare: the impolite caller ignores a colliding offer and sends no answer', async () => {
    const t = setup({ offerer: true, polite: false });
    t.engine.collides = true;
    await t.restarts.onOffer(offer(peerSdp('v=0 their offer')));
    expect(t.engine.calls).toEqual(['applyOffer:v=0 their offer:impolite']);
    expect(t.types()).toEqual([]);
  });

  test('call.restart makes the offerer restart, at most once a second; an answerer ignores it', async () => {
    const t = setup({ offerer: true, polite: false });
    t.restarts.onRestart(restart);
    t.restarts.onRestart(restart);
    await flush();
    expect(t.types()).toEqual(['call.offer']);
    t.advance(MIN_RESTART_GAP_MS);
    t.restarts.onRestart(restart);
    await flush();
    expect(t.types()).toEqual(['call.offer', 'call.offer']);

    const answerer = setup({ offerer: false, polite: true });
    answerer.restarts.onRestart(restart);
    await flush();
    expect(answerer.engine.calls).toEqual([]);
  });

  test('messages of another call, or before the peer is verified, change nothing', async () => {
    const t = setup({ offerer: false, polite: true });
    const other = '9e9e9e9e-1111-4a4a-8b8b-222233334444';
    await t.restarts.onOffer({ ...offer(peerSdp('v=0 x')), callId: other });
    const fresh = new IceRestarts({
      signaling: { notify: (() => true) as never },
      identityFailed: () => undefined,
      gaveUp: () => undefined,
      now: () => 0,
    });
    await fresh.onOffer(offer(peerSdp('v=0 x')));
    expect(t.engine.calls).toEqual([]);
    expect(t.types()).toEqual([]);
  });

  test('30 s without a connection gives up as a lost connection', () => {
    jest.useFakeTimers();
    const t = setup({ offerer: true, polite: false });
    t.restarts.onConnectionState(callId, 'disconnected');
    jest.advanceTimersByTime(GIVE_UP_AFTER_MS);
    expect(t.gaveUp).toEqual([true]);
    expect(t.restarts.reconnecting.value).toBe(false);
  });
});
