import type { CallView } from '../../../renderer/state/callStateMachine';
import { tabAttention } from '../../../renderer/web/tabAttention';

const peer = { username: 'alice', displayName: 'Alice Liddell' };
const base = { callId: 'c1', peer, direction: 'incoming' as const };

describe('the browser tab', () => {
  test('a ringing call names the caller and the kind of call, and marks the icon', () => {
    expect(tabAttention({ ...base, kind: 'incoming', media: 'video' }, 0)).toEqual({
      title: 'Alice Liddell is calling (video) · Parley',
      ringing: true,
      badge: true,
    });
    expect(tabAttention({ ...base, kind: 'incoming', media: 'audio' }, 2).title).toBe(
      'Alice Liddell is calling (voice) · Parley',
    );
  });

  test('a group call ringing names who invites and the kind of call, and marks the icon', () => {
    const invite = { from: { ...peer, deviceId: 'device-0001' }, media: 'video' as const };
    expect(tabAttention({ kind: 'idle' }, 3, invite)).toEqual({
      title: 'Alice Liddell invites you to a group call (video) · Parley',
      ringing: true,
      badge: true,
    });
    expect(tabAttention({ kind: 'idle' }, 0, { ...invite, media: 'audio' }).title).toBe(
      'Alice Liddell invites you to a group call (voice) · Parley',
    );
  });

  test('a 1:1 call ringing at the same time comes first, as on screen', () => {
    const invite = { from: { username: 'carol', displayName: 'Carol', deviceId: 'device-0001' } };
    expect(
      tabAttention({ ...base, kind: 'incoming', media: 'audio' }, 0, { ...invite, media: 'video' })
        .title,
    ).toBe('Alice Liddell is calling (voice) · Parley');
  });

  test('otherwise it is plain Parley: idle, calling out, or in a call', () => {
    const views: CallView[] = [
      { kind: 'idle' },
      { ...base, direction: 'outgoing', kind: 'outgoing', phase: 'ringing', media: 'video' },
      { ...base, kind: 'in_call', media: 'video', connectedAt: 1 },
    ];
    for (const view of views) {
      expect(tabAttention(view, 0)).toEqual({ title: 'Parley', ringing: false, badge: false });
    }
  });

  test('calls missed while the user was elsewhere are counted in the title, with a badge', () => {
    expect(tabAttention({ kind: 'idle' }, 2)).toEqual({
      title: '(2) Parley',
      ringing: false,
      badge: true,
    });
  });
});
