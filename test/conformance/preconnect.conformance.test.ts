/**
 * Independent conformance check of "Connecting while it rings" in docs/protocol.md: a ringing
 * callee device's `call.preconnect` reaches the caller only, with the device and its identity
 * chain; its candidates then reach the caller naming it; the caller names the one device whose
 * answer it took (`call.preconnected`); everyone else is refused.
 *
 * Everything asserted here is taken from that document alone; the client is DocClient.ts.
 */
import * as crypto from 'node:crypto';
import { chainProblem, keyShareVerifies, type ChainLink, type KeyShare } from './DocClient';
import { fingerprintOf, sdp } from './sdpFixtures';
import {
  B64_64,
  byCall,
  expectError,
  keyShareOf,
  linkDevice,
  useServer,
  type User,
} from './harness';

jest.setTimeout(20_000);

const h = useServer({ ringTimeoutMs: 15_000 });

const CALLER_FP = fingerprintOf(1);
const CALLEE_FP = fingerprintOf(2);
const OFFER = sdp('offer', CALLER_FP);
const ANSWER = sdp('answer', CALLEE_FP);
const CANDIDATE = {
  candidate: 'candidate:1 1 udp 41885439 203.0.113.7 3478 typ relay',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'wxyz',
};

let alice: User;
let bob: User;
let bobPhone: User & { link: { code: string; expiresAt: number } };
let carol: User;
let callId: string;

beforeEach(async () => {
  alice = await h.newUser('alice');
  bob = await h.newUser('bob');
  bobPhone = await linkDevice(h, bob);
  carol = await h.newUser('carol');
  callId = crypto.randomUUID();
  const ok = await alice.c.request('call.invite', {
    callId,
    to: bob.username,
    media: 'audio',
    sdp: OFFER,
    keyShare: keyShareOf(alice, 'caller', callId, CALLER_FP),
  });
  expect(ok).toMatchObject({ type: 'ok' });
  await Promise.all([bob, bobPhone].map((d) => d.c.next('call.invite', byCall(callId))));
});

function preconnect(device: User): KeyShare {
  const keyShare = keyShareOf(device, 'callee', callId, CALLEE_FP);
  device.c.notify('call.preconnect', { callId, sdp: ANSWER, keyShare });
  return keyShare;
}

test('a ringing device’s call.preconnect reaches the caller with deviceId and identity, and verifies as an accept would', async () => {
  const phoneShare = preconnect(bobPhone);
  const pre = await alice.c.next('call.preconnect', byCall(callId));
  expect(pre).toEqual({
    v: 1,
    type: 'call.preconnect',
    callId,
    sdp: ANSWER,
    keyShare: phoneShare,
    deviceId: bobPhone.deviceId,
    identity: [
      { identityKey: bob.identity.identityKey, signature: null },
      {
        identityKey: bobPhone.identity.identityKey,
        signature: expect.stringMatching(B64_64),
        link: bobPhone.link,
      },
    ],
  });
  const chain = pre.identity as ChainLink[];
  expect(chainProblem(chain, bob.username)).toBeNull();
  expect(
    keyShareVerifies(
      chain,
      { role: 'callee', callId, username: bob.username, deviceId: bobPhone.deviceId },
      pre.keyShare,
      ANSWER,
    ),
  ).toBe(true);
  // Every ringing device may pre-connect; the other device hears nothing of it.
  preconnect(bob);
  expect(await alice.c.next('call.preconnect', byCall(callId))).toMatchObject({
    deviceId: bob.deviceId,
  });
  expect(await bob.c.collect('call.preconnect', byCall(callId), 200)).toEqual([]);
});

test('its candidates then reach the caller naming the device; the caller’s reach the callee unchanged', async () => {
  preconnect(bobPhone);
  await alice.c.next('call.preconnect', byCall(callId));
  bobPhone.c.notify('call.ice', { callId, candidate: CANDIDATE });
  expect(await alice.c.next('call.ice', byCall(callId))).toEqual({
    v: 1,
    type: 'call.ice',
    callId,
    candidate: CANDIDATE,
    deviceId: bobPhone.deviceId,
  });
  alice.c.notify('call.ice', { callId, candidate: null });
  expect(await bobPhone.c.next('call.ice', byCall(callId))).toEqual({
    v: 1,
    type: 'call.ice',
    callId,
    candidate: null,
  });
  // A device that did not pre-connect may still not send candidates while it rings.
  bob.c.notify('call.ice', { callId, candidate: CANDIDATE });
  expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
});

test('the accept repeats the pre-connect; the device that lost the race and outsiders are refused', async () => {
  preconnect(bob);
  const phoneShare = preconnect(bobPhone);
  await alice.c.next('call.preconnect', (m) => m.deviceId === bobPhone.deviceId);
  // The caller and an outsider cannot pre-connect.
  alice.c.notify('call.preconnect', { callId, sdp: ANSWER, keyShare: phoneShare });
  expectError(await alice.c.next('error', byCall(callId)), 'call_state', null);
  carol.c.notify('call.preconnect', { callId, sdp: ANSWER, keyShare: phoneShare });
  expectError(await carol.c.next('error', byCall(callId)), 'not_in_call', null);

  bobPhone.c.notify('call.accept', { callId, media: 'audio', sdp: ANSWER, keyShare: phoneShare });
  expect(await alice.c.next('call.accept', byCall(callId))).toMatchObject({
    sdp: ANSWER,
    keyShare: phoneShare,
    deviceId: bobPhone.deviceId,
  });
  expect(await bob.c.next('call.cancel', byCall(callId))).toMatchObject({
    reason: 'answered_elsewhere',
  });
  preconnect(bob);
  expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
  bob.c.notify('call.ice', { callId, candidate: CANDIDATE });
  expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
  // After the answer the answering device's candidates go unchanged, without deviceId.
  bobPhone.c.notify('call.ice', { callId, candidate: CANDIDATE });
  expect(await alice.c.next('call.ice', byCall(callId))).toEqual({
    v: 1,
    type: 'call.ice',
    callId,
    candidate: CANDIDATE,
  });
});

test('call.preconnected from the caller reaches the device it names, as { callId }, once; anyone else is refused', async () => {
  preconnect(bob);
  preconnect(bobPhone);
  await alice.c.next('call.preconnect', (m) => m.deviceId === bob.deviceId);
  await alice.c.next('call.preconnect', (m) => m.deviceId === bobPhone.deviceId);
  // A callee device and an outsider cannot say which answer the caller took.
  bob.c.notify('call.preconnected', { callId, deviceId: bob.deviceId });
  expectError(await bob.c.next('error', byCall(callId)), 'call_state', null);
  carol.c.notify('call.preconnected', { callId, deviceId: bob.deviceId });
  expectError(await carol.c.next('error', byCall(callId)), 'not_in_call', null);

  alice.c.notify('call.preconnected', { callId, deviceId: bobPhone.deviceId });
  expect(await bobPhone.c.next('call.preconnected', byCall(callId))).toEqual({
    v: 1,
    type: 'call.preconnected',
    callId,
  });
  // Once per call: naming the other device afterwards is refused, and it hears nothing.
  alice.c.notify('call.preconnected', { callId, deviceId: bob.deviceId });
  expectError(await alice.c.next('error', byCall(callId)), 'call_state', null);
  expect(await bob.c.collect('call.preconnected', byCall(callId))).toEqual([]);
});

test('call.preconnected naming a device that did not pre-connect is refused and relays nothing', async () => {
  alice.c.notify('call.preconnected', { callId, deviceId: bob.deviceId });
  expectError(await alice.c.next('error', byCall(callId)), 'call_state', null);
  expect(await bob.c.collect('call.preconnected', byCall(callId))).toEqual([]);
});
