import { randomUUID } from 'node:crypto';
import type { CallStateReport } from '../../../protocol/ipc';

export const bob = { username: 'bob', displayName: 'Bob' };

/** The reports the renderer sends through one call's life. */
export function callReports(callId: string = randomUUID(), media: 'audio' | 'video' = 'video') {
  const base = { callId, peer: bob, media, muted: false, endedAs: null, e2ee: null, group: null };
  const encrypted = { audio: 'encrypted', video: 'encrypted' } as const;
  return {
    callId,
    incoming: { ...base, phase: 'incoming' } as CallStateReport,
    outgoing: { ...base, phase: 'outgoing' } as CallStateReport,
    inCall: { ...base, phase: 'in_call', e2ee: encrypted } as CallStateReport,
    muted: { ...base, phase: 'in_call', muted: true, e2ee: encrypted } as CallStateReport,
    ended: (endedAs: 'answered' | 'missed' | 'declined' | 'other'): CallStateReport => ({
      phase: 'idle',
      callId: null,
      peer: null,
      media: null,
      muted: false,
      endedAs,
      e2ee: null,
      group: null,
    }),
  };
}

export const carol = { username: 'carol', displayName: 'Carol' };

/** The reports of a group call from Bob ringing here, with Bob and Carol in it. */
export function groupInviteReports(
  callId: string = randomUUID(),
  media: 'audio' | 'video' = 'video',
) {
  const { incoming, ended } = callReports(callId, media);
  return {
    callId,
    incoming: { ...incoming, group: { members: [bob, carol] } } as CallStateReport,
    ended: (endedAs: 'answered' | 'missed' | 'declined' | 'other'): CallStateReport => ({
      ...ended(endedAs),
      callId,
      peer: bob,
    }),
  };
}

export const dan = { username: 'dan', displayName: 'Dan' };
export const erin = { username: 'erin', displayName: 'Erin' };

/** The reports of a group call we are in, with `others` in it beside us, and of its end. */
export function groupCallReports(
  others: { username: string; displayName: string }[] = [bob, carol],
  callId: string = randomUUID(),
) {
  const base = {
    phase: 'in_call',
    callId,
    peer: others[0] ?? null,
    media: 'video',
    muted: false,
    endedAs: null,
    e2ee: { audio: 'encrypted', video: 'encrypted' },
    group: { members: others },
  } as const;
  return {
    callId,
    inCall: { ...base } as CallStateReport,
    muted: { ...base, muted: true } as CallStateReport,
    left: {
      phase: 'idle',
      callId,
      peer: others[0] ?? null,
      media: null,
      muted: false,
      endedAs: 'answered',
      e2ee: null,
      group: null,
    } as CallStateReport,
  };
}
