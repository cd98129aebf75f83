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
