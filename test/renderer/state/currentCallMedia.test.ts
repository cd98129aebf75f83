import { signal } from '@preact/signals';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import { currentCallMember } from '../../../renderer/state/currentCallMedia';
import type { LocalMember } from '../../../renderer/state/localMember/LocalMember';
import { FakeOneToOneCall, roomClientPage } from './roomClientPage';
import { settle } from './settle';

// The grown call's key agreement is real Web Crypto work: a busy machine is slow.
jest.setTimeout(30_000);

test("the call screen's mute button acts on the group call's member once the 1:1 call grew: the 1:1 call's own, before and after", async () => {
  const call = await FakeOneToOneCall.start();
  // CallController's member: the 1:1 call's, until the group call takes it on.
  const oneToOne = signal<LocalMember>(call.member);
  const calls = {
    get media() {
      return oneToOne.value;
    },
  };
  const s = await roomClientPage('alice', {}, { oneToOneCall: call.growable });
  try {
    const current = currentCallMember(calls, s.client);
    expect(current.value).toBe(call.member);

    await s.client.invite(['carol']);
    await settle(() => s.client.view.value !== null);
    expect(current.value).toBe(call.member);
    // The 1:1 connection handed over, CallController's next member is a new one; the call screen
    // still acts on the group call's.
    oneToOne.value = new CallMediaControls();
    current.value.toggleMute();
    expect(s.client.view.value!.tiles.find((t) => t.self)).toMatchObject({ microphoneOn: false });
    expect(call.asked).toEqual(['microphone:false']);
    expect(oneToOne.value.muted.value).toBe(false);

    // The group call over, the call screen is the 1:1 call's again.
    s.client.onSignedOut();
    expect(current.value).toBe(oneToOne.value);
  } finally {
    s.client.onSignedOut();
  }
});
