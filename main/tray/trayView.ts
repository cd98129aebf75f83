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

export function statusLine(call: CallStateReport): string {
  switch (call.phase) {
    case 'idle':
      return 'Ready for calls';
    case 'incoming':
      return `Incoming ${call.group ? 'group ' : ''}${call.media === 'video' ? 'video ' : ''}call from ${peerName(call)}`;
    case 'outgoing':
      return `Calling ${peerName(call)}…`;
    case 'in_call':
      return `In call with ${peerName(call)}${call.muted ? ' · muted' : ''}`;
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
