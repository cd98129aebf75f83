import { Invitation, type InvitationEvent } from '../../../server/rooms/Invitation';
import { FakeTime } from '../calls/fakeTime';
import { RING_MS } from './roomFixture';

function ringing(deviceIds = ['b1', 'b2'], inviteeInOtherCall?: () => boolean) {
  const time = new FakeTime();
  const events: InvitationEvent[] = [];
  const invitation = new Invitation({
    inviterUserId: 1,
    inviterDeviceId: 'a1',
    inviteeUserId: 2,
    deviceIds,
    ringTimeoutMs: RING_MS,
    clock: time,
    scheduler: time,
    onEvent: (event) => events.push(event),
    ...(inviteeInOtherCall ? { inviteeInOtherCall } : {}),
  });
  return { invitation, time, events };
}

describe('Invitation', () => {
  test('rings every device of the invited user; the first to accept wins and the others stop', () => {
    const { invitation, time, events } = ringing();
    expect(invitation.ringingDeviceIds).toEqual(['b1', 'b2']);
    expect(invitation.accept('b2')).toEqual({ ok: true });
    expect(invitation.accept('b1')).toEqual({ ok: false, code: 'call_state' });
    expect([invitation.state, invitation.acceptedDeviceId]).toEqual(['accepted', 'b2']);
    expect(events).toEqual([{ kind: 'accepted', deviceId: 'b2', otherDeviceIds: ['b1'] }]);
    expect(time.pending).toBe(0);
  });

  test('a decline closes it for every device, saying why when the device could not answer', () => {
    const { invitation, events } = ringing();
    expect(invitation.decline('b1', 'microphone_unavailable')).toEqual({ ok: true });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'closed',
        state: 'declined',
        byDeviceId: 'b1',
        failure: 'microphone_unavailable',
        ringingDeviceIds: ['b1', 'b2'],
      }),
    ]);
    expect(invitation.ringingOn('b2')).toEqual({ ok: false, code: 'call_state' });
  });

  test('rings out as unanswered, or as busy while the invited user talks in another call', () => {
    const unanswered = ringing();
    unanswered.time.advance(RING_MS);
    expect(unanswered.invitation.state).toBe('timeout');

    const waiting = ringing(['b1'], () => true);
    waiting.time.advance(RING_MS);
    expect(waiting.invitation.state).toBe('busy');
    expect(waiting.events).toEqual([
      expect.objectContaining({ state: 'busy', byDeviceId: null, ringingDeviceIds: ['b1'] }),
    ]);
  });

  test('a ringing device gone stops ringing there; the last one gone closes it from that moment', () => {
    const { invitation, time, events } = ringing();
    const goneAt = time.now();
    time.advance(2000);
    expect(invitation.deviceGone('b1', goneAt)).toEqual({ ok: true });
    expect(invitation.state).toBe('ringing');
    expect(invitation.deviceGone('b1')).toEqual({ ok: false, code: 'call_state' });
    invitation.deviceGone('b2', goneAt);
    expect(events).toEqual([
      expect.objectContaining({
        state: 'connection_lost',
        byDeviceId: 'b2',
        ringingDeviceIds: [],
        at: goneAt,
      }),
    ]);
  });

  test('the inviter takes one pre-connected device, once', () => {
    const { invitation } = ringing();
    expect(invitation.take('b1')).toEqual({ ok: false, code: 'call_state' });
    invitation.preconnect('b1');
    invitation.preconnect('b2');
    expect(invitation.isPreconnecting('b2')).toBe(true);
    expect(invitation.take('b1')).toEqual({ ok: true });
    expect(invitation.take('b2')).toEqual({ ok: false, code: 'call_state' });
  });

  test('busy and cancel close only a ringing invitation', () => {
    const { invitation, events } = ringing();
    expect(invitation.cancel('a1')).toEqual({ ok: true });
    expect(invitation.busy()).toEqual({ ok: false, code: 'call_state' });
    expect(invitation.cancel('a1')).toEqual({ ok: false, code: 'call_state' });
    expect(events).toHaveLength(1);
  });
});
