import type { CallStateReport } from '../../protocol/ipc';
import { isolateName } from '../../protocol/nameText';

export type TrayMenuItemId = 'toggle-window' | 'status' | 'toggle-mute' | 'hang-up' | 'quit';

export type TrayMenuEntry =
  | { kind: 'item'; id: TrayMenuItemId; label: string; enabled: boolean }
  | { kind: 'separator' };

export interface TrayView {
  /** File name under assets/tray/ without `.png`: idle, ringing, in-call, muted, missed-N. */
  icon: string;
  tooltip: string;
  /** Text beside the icon (macOS menu bar): the missed-call count, or nothing. */
  title: string;
  menu: TrayMenuEntry[];
}

export interface TrayState {
  call: CallStateReport;
  missedCalls: number;
  windowVisible: boolean;
}

/** The badge icons go up to 9; more shows as "9+". */
export function missedIcon(count: number): string {
  return count > 9 ? 'missed-9plus' : `missed-${count}`;
}

function peerName(call: CallStateReport): string {
  return call.peer ? isolateName(call.peer.displayName) : 'someone';
}

/** Names said before the rest are counted ("Bob, Carol and 3 others"), as the call log does. */
const NAMED_IN_GROUP = 3;

/** "In a group call with Bob, Carol and 3 others": the others in the call, names isolated. */
function groupCallWith(members: readonly { displayName: string }[]): string {
  if (members.length === 0) return 'In a group call, only you in it';
  const names = members.map((member) => isolateName(member.displayName));
  if (names.length === 1) return `In a group call with ${names[0]}`;
  if (names.length <= NAMED_IN_GROUP) {
    return `In a group call with ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  const named = names.slice(0, NAMED_IN_GROUP - 1).join(', ');
  return `In a group call with ${named} and ${names.length - (NAMED_IN_GROUP - 1)} others`;
}

export function statusLine(call: CallStateReport): string {
  switch (call.phase) {
    case 'idle':
      return 'Ready for calls';
    case 'incoming':
      return `Incoming ${call.group ? 'group ' : ''}${call.media === 'video' ? 'video ' : ''}call from ${peerName(call)}`;
    case 'outgoing':
      return `Calling ${peerName(call)}…`;
    case 'in_call':
      return `${call.group ? groupCallWith(call.group.members) : `In call with ${peerName(call)}`}${call.muted ? ' · muted' : ''}`;
  }
}

function iconFor(state: TrayState): string {
  const { call } = state;
  if (call.phase === 'in_call') return call.muted ? 'muted' : 'in-call';
  if (call.phase === 'outgoing') return 'in-call';
  if (call.phase === 'incoming') return 'ringing';
  return state.missedCalls > 0 ? missedIcon(state.missedCalls) : 'idle';
}

/** Everything the tray shows for one state: a pure function, so every state is testable. */
export function trayView(state: TrayState): TrayView {
  const { call, missedCalls } = state;
  const missed =
    missedCalls === 0 ? '' : `${missedCalls} missed call${missedCalls === 1 ? '' : 's'}`;
  const status = statusLine(call);
  const inCall = call.phase === 'in_call';
  return {
    icon: iconFor(state),
    tooltip: ['Parley', status, missed].filter(Boolean).join(' · '),
    title: missedCalls === 0 ? '' : String(missedCalls),
    menu: [
      {
        kind: 'item',
        id: 'toggle-window',
        label: state.windowVisible ? 'Hide Parley' : 'Show Parley',
        enabled: true,
      },
      { kind: 'separator' },
      {
        kind: 'item',
        id: 'status',
        label: missed ? `${status} (${missed})` : status,
        enabled: false,
      },
      {
        kind: 'item',
        id: 'toggle-mute',
        label: inCall && call.muted ? 'Unmute' : 'Mute',
        enabled: inCall,
      },
      {
        kind: 'item',
        id: 'hang-up',
        label: 'Hang up',
        enabled: inCall || call.phase === 'outgoing',
      },
      { kind: 'separator' },
      { kind: 'item', id: 'quit', label: 'Quit Parley', enabled: true },
    ],
  };
}
