import { isolateName, type CallMedia } from '../../protocol';
import type { CallLogEntry } from './CallLogModel';

/**
 * What "Call back" on a call-log row does, and how its button says it: a 1:1 call calls the peer;
 * a group call starts a new group call with the same media, ringing the same people (everyone
 * else in the entry, whether they joined or were only rung), as WhatsApp and Signal call a group
 * back.
 */
export type CallBack =
  | { kind: 'person'; username: string; media: CallMedia; label: string; title: string }
  | { kind: 'group'; usernames: string[]; media: CallMedia; label: string; title: string };

export function callBackOf(entry: CallLogEntry): CallBack {
  const how = entry.media === 'video' ? 'video' : 'voice';
  if (!entry.group) {
    return {
      kind: 'person',
      username: entry.peer.username,
      media: entry.media,
      label: `Call ${isolateName(entry.peer.displayName)} back (${how})`,
      title: 'Call back',
    };
  }
  const others = entry.group.others;
  return {
    kind: 'group',
    usernames: others.map((person) => person.username),
    media: entry.media,
    label: `Call the group back (${how}): ${others.map((p) => isolateName(p.displayName)).join(', ')}`,
    title: 'Call the group back',
  };
}

/** Where a call back goes: a 1:1 call through the identity checks, or a new group call. */
export interface CallBackTargets {
  callPerson(username: string, media: CallMedia): Promise<void>;
  callGroup(media: CallMedia, usernames: readonly string[]): Promise<void>;
}

export function callBack(entry: CallLogEntry, targets: CallBackTargets): Promise<void> {
  const call = callBackOf(entry);
  return call.kind === 'person'
    ? targets.callPerson(call.username, call.media)
    : targets.callGroup(call.media, call.usernames);
}
