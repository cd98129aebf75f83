import { computed, signal } from '@preact/signals';
import type { CallStateReport, HostAction } from '../../../protocol';
import { NEGOTIATING } from '../../../renderer/call/E2eeStatusTracker';
import { DesktopIntegration } from '../../../renderer/desktop/DesktopIntegration';
import { routeCallActions } from '../../../renderer/desktop/HostActionHandler';
import { defaultShortcuts } from '../../../renderer/desktop/keyboardShortcuts';
import type { DesktopCapabilities } from '../../../renderer/host/Host';
import type { GroupCallView } from '../../../renderer/state/groupCallView';
import type { IncomingRoomInvite, RoomInviteEnded } from '../../../renderer/state/RoomClient';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import { initialCallState } from '../../../renderer/state/callStateMachine';
import { currentCallOf } from '../../../renderer/state/CurrentCall';
import { LocalMember } from '../../../renderer/state/localMember/LocalMember';
import { groupCallView, participantTile } from '../state/groupCallViewSamples';

/**
 * The renderer's side of the desktop shell in a group call, through its real wiring: what main
 * is told as the call goes, and main's tray and shortcut actions carried out on the group call.
 * Main's side is a recording stand-in for the IPC bridge (main itself: test/main/).
 */

const groupCallId = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a';
const otherCallId = '6f1c2a4e-3b7d-4c55-9a1e-2d3f4b5c6d7e';

const tile = (slot: number, username: string, displayName: string, self = false) =>
  participantTile(slot, { username, displayName, self, cameraOn: false });

const groupCall = groupCallView({
  callId: groupCallId,
  media: 'audio',
  tiles: [tile(0, 'alice', 'Alice', true), tile(1, 'bob', 'Bob'), tile(2, 'carol', 'Carol')],
});

function setUp() {
  const reports: CallStateReport[] = [];
  let fromMain: (action: HostAction) => void = () => undefined;
  const desktop: DesktopCapabilities = {
    platform: 'linux',
    requestMediaAccess: () => Promise.reject(new Error('not in this test')),
    reportCallState: async (report) => void reports.push(report),
    getSettings: async () => ({
      closeToTray: true,
      doNotDisturb: false,
      shortcuts: defaultShortcuts,
    }),
    setSettings: () => Promise.reject(new Error('not in this test')),
    getShortcutStatus: async () => [],
    onHostAction: (listener) => {
      fromMain = listener;
      return () => undefined;
    },
  };
  const view = signal<GroupCallView | null>(null);
  // Our member in the group call: its mute button's state, the microphone it switches.
  const member = new LocalMember();
  member.attach({
    localStream: { id: 'self view' } as unknown as MediaStream,
    hasVideo: false,
    setMicrophoneEnabled: () => undefined,
    setCameraEnabled: () => undefined,
  });
  const groupMuted = member.muted;
  const machine = signal(initialCallState);
  const currentCall = currentCallOf(
    {
      view: computed(() => machine.value.view),
      media: new CallMediaControls(),
      e2eeStatus: signal(NEGOTIATING),
      hangup: () => undefined,
    },
    { view, member, leave: () => void (view.value = null) },
  );
  const integration = new DesktopIntegration(
    currentCall,
    { machine },
    {
      incoming: signal<IncomingRoomInvite | null>(null),
      inviteEnded: signal<RoomInviteEnded | null>(null),
    },
    {
      ...routeCallActions(() => currentCall.value),
      accept: () => undefined,
      decline: () => undefined,
      openSettings: () => undefined,
      offerCall: () => undefined,
      openCallLink: () => undefined,
    },
    desktop,
  );
  return { integration, reports, view, groupMuted, fromMain: (a: HostAction) => fromMain(a) };
}

beforeAll(() => {
  // start() listens for the in-window shortcuts; no key is pressed here.
  (globalThis as { window?: unknown }).window = new EventTarget();
});

afterAll(() => {
  delete (globalThis as { window?: unknown }).window;
});

test("main hears of the group call we are in, mutes and leaves it through the tray's actions", () => {
  const { integration, reports, view, groupMuted, fromMain } = setUp();
  integration.start();
  expect(reports.map((r) => r.phase)).toEqual(['idle']);

  view.value = groupCall;
  expect(reports.at(-1)).toMatchObject({
    phase: 'in_call',
    callId: groupCallId,
    peer: { username: 'bob', displayName: 'Bob' },
    media: 'audio',
    muted: false,
    group: {
      members: [
        { username: 'bob', displayName: 'Bob' },
        { username: 'carol', displayName: 'Carol' },
      ],
    },
  });

  // Mute from the tray, then a stale or hostile action for another call: only the first acts.
  fromMain({ kind: 'toggleMute', callId: groupCallId });
  expect(groupMuted.value).toBe(true);
  expect(reports.at(-1)).toMatchObject({ phase: 'in_call', muted: true });
  const told = reports.length;
  fromMain({ kind: 'toggleMute', callId: otherCallId });
  fromMain({ kind: 'hangUp', callId: otherCallId });
  expect(groupMuted.value).toBe(true);
  expect(view.value).not.toBeNull();
  expect(reports).toHaveLength(told);

  fromMain({ kind: 'hangUp', callId: groupCallId });
  expect(view.value).toBeNull();
  expect(reports.at(-1)).toEqual({
    phase: 'idle',
    callId: groupCallId,
    peer: { username: 'bob', displayName: 'Bob' },
    media: null,
    muted: false,
    endedAs: 'answered',
    e2ee: null,
    group: null,
  });
});
