// A page that renders only GroupCallScreen, for tests of what the group-call screen shows: the
// test plays the RoomClient, handing the page a view (window.screenLab.show) and reading back
// what the screen asked for. Videos are canvases captured as streams, each drawn with its slot.
// First, as in the app: the schemas the page carries are built without eval (the CSP forbids it).
import '../../../renderer/zodWithoutEval';
import { signal } from '@preact/signals';
import { render } from 'preact';
import { DevicePreferences } from '../../../renderer/media/DevicePreferences';
import { DeviceSettingsModel } from '../../../renderer/media/DeviceSettingsModel';
import { browserFromUserAgent } from '../../../renderer/media/mediaRemedy';
import { ScreenShareModel } from '../../../renderer/media/ScreenShareModel';
import { rememberSpeaker } from '../../../renderer/state/callLayout';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import type {
  CallLayout,
  GroupCallActions,
  GroupCallView,
  InvitedPerson,
  KnockingPerson,
  TileSize,
  TileState,
} from '../../../renderer/state/groupCallView';
import { GroupCallScreen } from '../../../renderer/ui/GroupCallScreen';

declare global {
  interface Window {
    screenLab: typeof lab;
  }
}

/** A participant as the test describes it; the page makes its streams. */
export interface TileSpec {
  slot: number;
  name: string;
  self?: boolean;
  state?: TileState;
  microphoneOn?: boolean;
  /** A camera picture (default true). */
  camera?: boolean;
  /** A shared screen picture. */
  screen?: boolean;
  safetyNumber?: string | null;
  /** Their root key is not the one pinned here (default false). */
  safetyNumberChanged?: boolean;
}

export interface ViewSpec {
  tiles: TileSpec[];
  activeSpeakerSlot?: number | null;
  screenShareSlot?: number | null;
  layout?: CallLayout;
  invited?: InvitedPerson[];
  canInvite?: boolean;
  link?: { url: string; deepLink: string; approval?: boolean } | null;
  knocks?: KnockingPerson[];
  /** Whether we created the call (default true): only then is a link offered. */
  canCreateLink?: boolean;
  /** Our own link that is down and coming back (default none). */
  reconnecting?: 'signaling' | 'media' | null;
}

/** One thing the screen asked the call for. */
export type ScreenRequest =
  | { action: 'tileResized'; slot: number; source: 'camera' | 'screen'; size: TileSize | null }
  | { action: 'leave' | 'revokeLink' }
  | { action: 'createLink'; approval: boolean }
  | { action: 'admit'; username: string; admit: boolean }
  | { action: 'invite'; usernames: string[] }
  | { action: 'setLayout'; layout: CallLayout };

const CAMERA = { width: 320, height: 180 };
const SCREEN = { width: 640, height: 360 };
const streams = new Map<string, MediaStream>();
const canvases: { canvas: HTMLCanvasElement; label: string; hue: number }[] = [];
const requests: ScreenRequest[] = [];
const view = signal<GroupCallView | null>(null);

/** A moving picture labelled with its slot, as a camera or a screen would send. */
function pictureStream(key: string, size: { width: number; height: number }, hue: number) {
  const known = streams.get(key);
  if (known) return known;
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvases.push({ canvas, label: key, hue });
  const stream = canvas.captureStream(10);
  streams.set(key, stream);
  return stream;
}

let frame = 0;
setInterval(() => {
  frame += 1;
  for (const { canvas, label, hue } of canvases) {
    const context = canvas.getContext('2d')!;
    context.fillStyle = `hsl(${hue}, 60%, 35%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#fff';
    context.font = `${Math.round(canvas.height / 5)}px sans-serif`;
    context.fillText(`${label} ${frame}`, 10, canvas.height / 2);
  }
}, 100);

const actions: GroupCallActions = {
  leave: () => requests.push({ action: 'leave' }),
  invite: (usernames) => requests.push({ action: 'invite', usernames: [...usernames] }),
  setLayout: (layout) => {
    requests.push({ action: 'setLayout', layout });
    // As the RoomClient does: the layout is part of the view.
    if (view.value) view.value = { ...view.value, layout };
  },
  tileResized: (slot, source, size) =>
    requests.push({ action: 'tileResized', slot, source, size: size && { ...size } }),
  createLink: (approval) => requests.push({ action: 'createLink', approval }),
  revokeLink: () => requests.push({ action: 'revokeLink' }),
  admit: (username, admit) => requests.push({ action: 'admit', username, admit }),
};

// The media controls drive an engine; here a stand-in with a camera and nothing behind it.
const media = new CallMediaControls();
media.attach({
  localStream: new MediaStream(),
  hasVideo: true,
  setMicrophoneEnabled: () => {},
  setCameraEnabled: () => {},
});
const share = new ScreenShareModel(() => media);
const devices = new DeviceSettingsModel(new DevicePreferences(window.localStorage), media, {
  gatekeeper: { kind: 'browser', browser: browserFromUserAgent(navigator.userAgent) },
});
const contacts = ['alice', 'bob', 'carol', 'dave'].map((username) => ({
  username,
  displayName: username[0]!.toUpperCase() + username.slice(1),
}));

function Lab() {
  const shown = view.value;
  return shown ? (
    <GroupCallScreen
      view={shown}
      actions={actions}
      media={media}
      share={share}
      devices={devices}
      contacts={contacts}
    />
  ) : null;
}

const lab = {
  show(spec: ViewSpec): void {
    const tiles = spec.tiles.map((t) => ({
      slot: t.slot,
      username: t.name.toLowerCase().replace(/[^a-z0-9]/g, ''),
      displayName: t.name,
      self: t.self ?? false,
      state: t.state ?? 'live',
      microphoneOn: t.microphoneOn ?? true,
      cameraOn: t.camera ?? true,
      camera: t.camera === false ? null : pictureStream(`camera ${t.slot}`, CAMERA, t.slot * 37),
      screen: t.screen ? pictureStream(`screen ${t.slot}`, SCREEN, 200) : null,
      audio: null,
      safetyNumber: t.safetyNumber ?? null,
      safetyNumberChanged: t.safetyNumberChanged ?? false,
    }));
    const activeSpeakerSlot = spec.activeSpeakerSlot ?? null;
    view.value = {
      callId: 'lab',
      media: 'video',
      path: 'sfu',
      tiles,
      activeSpeakerSlot,
      // As the RoomClient does: the last other speaker is remembered from one view to the next.
      lastSpeakerSlot: rememberSpeaker(
        view.value?.lastSpeakerSlot ?? null,
        tiles,
        activeSpeakerSlot,
      ),
      screenShareSlot: spec.screenShareSlot ?? null,
      layout: spec.layout ?? 'grid',
      invited: spec.invited ?? [],
      canInvite: spec.canInvite ?? true,
      link: spec.link ? { ...spec.link, approval: spec.link.approval ?? false } : null,
      knocks: spec.knocks ?? [],
      canCreateLink: spec.canCreateLink ?? true,
      reconnecting: spec.reconnecting ?? null,
    };
  },
  clear(): void {
    view.value = null;
  },
  /** What the screen asked for since the last call, oldest first. */
  takeRequests(): ScreenRequest[] {
    return requests.splice(0);
  },
};
window.screenLab = lab;

const root = document.createElement('div');
root.id = 'app';
document.body.append(root);
render(<Lab />, root);
