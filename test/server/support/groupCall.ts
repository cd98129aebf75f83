import { randomUUID } from 'node:crypto';
import type { CallMedia, ServerMessage, ServerMessageOf } from '../../../protocol';
import { startAcceptedCall } from './inCall';
import type { TestClient } from './TestClient';
import type { TestServer } from './testServer';

/** A new account's device, signed in, whose connection negotiated group calls. */
export async function roomsUser(server: TestServer, username: string): Promise<TestClient> {
  const client = await server.registered(username);
  const reply = await client.negotiateRooms();
  if (reply.type !== 'features' || !reply.features.includes('rooms')) {
    throw new Error(`rooms not negotiated: ${JSON.stringify(reply)}`);
  }
  return client;
}

/**
 * `creator` asks to make group call `callId` of `media`, with its share for `slot` (0 is the one
 * the server takes); resolves with whatever the server answered.
 */
export function requestCreate(
  creator: TestClient,
  callId: string,
  { media = 'video', slot = 0 }: { media?: CallMedia; slot?: number } = {},
): Promise<ServerMessage> {
  return creator.request({
    type: 'room.create',
    callId,
    media,
    share: creator.memberShare(callId, slot),
  });
}

/** `creator` makes a group call; resolves with its id and the room state it was answered. */
export async function createCall(
  creator: TestClient,
  callId = randomUUID(),
): Promise<{ callId: string; state: ServerMessageOf<'room'> }> {
  const state = await requestCreate(creator, callId);
  if (state.type !== 'room') throw new Error(`room.create refused: ${JSON.stringify(state)}`);
  return { callId, state };
}

/**
 * `member` invites `guest`, whose device joins in the slot its invite gave it; resolves with the
 * room state `guest` was answered, once `member` has heard it joined.
 */
export async function joinCall(
  member: TestClient,
  guest: TestClient,
  callId: string,
): Promise<ServerMessageOf<'room'>> {
  const invited = await member.request({ type: 'room.invite', callId, to: guest.username });
  if (invited.type !== 'ok') throw new Error(`room.invite refused: ${JSON.stringify(invited)}`);
  const ring = await guest.nextOf('room.invite', callId);
  const state = await guest.request({
    type: 'room.join',
    callId,
    share: guest.memberShare(callId, ring.slot),
  });
  if (state.type !== 'room') throw new Error(`room.join refused: ${JSON.stringify(state)}`);
  await member.next(
    (m) => m.type === 'room.member_joined' && m.callId === callId && m.member.slot === ring.slot,
  );
  return state;
}

/**
 * `caller` calls `callee` (1:1, accepted); `callee` invites `third`, who joins: resolves with the
 * call's id once the pair have heard the call move to the SFU.
 */
export async function growToThree(
  caller: TestClient,
  callee: TestClient,
  third: TestClient,
): Promise<string> {
  const callId = await startAcceptedCall(caller, callee);
  await callee.request({ type: 'room.invite', callId, to: third.username });
  const ring = await third.nextOf('room.invite', callId);
  await third.request({ type: 'room.join', callId, share: third.memberShare(callId, ring.slot) });
  for (const party of [caller, callee]) await party.nextOf('room.path', callId);
  return callId;
}
