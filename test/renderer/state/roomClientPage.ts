import { signal } from '@preact/signals';
import { randomUUID } from 'node:crypto';
import type { CallMedia, ClientMessageOf, RoomMember } from '../../../protocol';
import {
  LocalMedia,
  type CameraFailure,
  type LocalTracks,
} from '../../../renderer/call/LocalMedia';
import { CallMediaControls } from '../../../renderer/state/CallMediaControls';
import { ActiveCall } from '../../../renderer/state/ActiveCall';
import { CallMembers } from '../../../renderer/state/CallMembers';
import type {
  LocalMember,
  MemberChannel,
  OpenInput,
} from '../../../renderer/state/localMember/LocalMember';
import { callLinkUrls } from '../../../renderer/state/callLinkUrls';
import type { GrowingCall } from '../../../renderer/state/growingCall';
import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';
import { RoomClient, type RoomClientDeps } from '../../../renderer/state/RoomClient';
import {
  FakeMediaPath,
  FakeRoomServer,
  OtherMember,
  fakeTrack,
  type FakeTrack,
  localTracks,
  roomInvite,
  roomState,
  selfDevice,
  title,
} from './fakeRoomServer';
import { settle } from './settle';

/**
 * A page's RoomClient over the fake room server, signed in as `username`: media paths are fakes
 * (`paths`), each opening of our camera and microphone is recorded (`opened`, `openedFor`, and
 * `camerasOpened` for a camera turned on mid-call), and so is each input that ended by itself.
 * `deps` replaces any of its parts.
 */
export async function roomClientPage(
  username: string,
  options: { rooms?: boolean; pathLoaded?: Promise<void> } = {},
  deps: Partial<RoomClientDeps> = {},
) {
  const server = new FakeRoomServer();
  const self = await selfDevice(username);
  const paths: FakeMediaPath[] = [];
  const opened: ReturnType<typeof localTracks>[] = [];
  const openedFor: CallMedia[] = [];
  const rooms = signal(options.rooms ?? true);
  const inputsEnded: string[] = [];
  const camerasOpened: FakeTrack[] = [];
  const client = new RoomClient({
    signaling: server.signaling,
    rooms,
    keysHost: self.host,
    openPath: async (signaling, events) => {
      await options.pathLoaded;
      const path = new FakeMediaPath(signaling, events);
      paths.push(path);
      return path;
    },
    localTracks: async (media) => {
      const tracks = localTracks();
      openedFor.push(media);
      opened.push(tracks);
      return tracks;
    },
    openCamera: async () => {
      const camera = fakeTrack('video');
      camerasOpened.push(camera);
      return camera;
    },
    linkUrls: (token) => callLinkUrls('wss://parley.example/ws', token),
    streamOf: (track) => ({ id: `stream:${track.id}` }) as unknown as MediaStream,
    selfView: (tracks) => ({ id: 'self', getTracks: () => tracks }) as unknown as MediaStream,
    now: () => Date.now(),
    rotationSwitchMs: 60_000,
    oneToOneCall: () => null,
    self: () => null,
    inputEnded: (kind) => void inputsEnded.push(kind),
    openInput: openChosenInput,
    ...deps,
  });
  server.deliver = (notice) => client.onNotice(notice);
  const path = () => {
    const latest = paths.at(-1);
    if (!latest) throw new Error('no media path was made');
    return latest;
  };
  return {
    server,
    self,
    client,
    paths,
    path,
    opened,
    openedFor,
    camerasOpened,
    rooms,
    inputsEnded,
  };
}

/** A page's RoomClient over the fake room server (see roomClientPage). */
export type RoomClientPage = Awaited<ReturnType<typeof roomClientPage>>;

/** The server answers the page's `room.create` with its user alone in the new call, in slot 0. */
export function answerCreateAlone({ server, self }: Pick<RoomClientPage, 'server' | 'self'>): void {
  server.answer('room.create', (m) => {
    const create = m as ClientMessageOf<'room.create'>;
    return roomState(create.id, {
      callId: create.callId,
      media: create.media,
      slot: 0,
      members: [self.entry(create.share)],
    });
  });
}

/**
 * `from` (in slot 0) rings the page's user into `callId` (slot 1); the server answers the join
 * with the call of the two of them.
 */
export async function ringFrom(
  { server, self }: Pick<RoomClientPage, 'server' | 'self'>,
  callId: string,
  from: string,
): Promise<void> {
  const inviter = await OtherMember.join(from, 0, callId);
  const members = [await inviter.entry()];
  server.answer('room.join', (m) => {
    const join = m as ClientMessageOf<'room.join'>;
    return roomState(join.id, { callId, slot: 1, members: [...members, self.entry(join.share)] });
  });
  server.push(roomInvite(inviter, { callId, slot: 1, members }));
}

/**
 * Alice's 1:1 call with Bob (`call`, the page's call to grow) grows: she invites Carol, whose
 * invitation rings, and Alice's member share goes. Resolves with Alice as the others verify her.
 */
export async function growByInvitingCarol(
  { client, server, self }: Pick<RoomClientPage, 'client' | 'server' | 'self'>,
  call: FakeOneToOneCall,
): Promise<RoomMember> {
  await client.invite(['carol']);
  server.push({
    type: 'room.invitation',
    callId: call.callId,
    invitation: {
      user: { username: 'carol', displayName: title('carol') },
      state: 'ringing',
      invitedBy: 0,
    },
  });
  await settle(() => server.of('room.share').length === 1);
  return self.entry(server.of('room.share')[0]!.share);
}

/**
 * The grown call's others verify Alice (`aliceEntry`): Bob's share, relayed by the server, is
 * verified and he gets Alice's key; Carol joins, and the path notice follows at once, before her
 * share is verified here.
 */
export async function carolJoinsOntoSfu(
  { server }: Pick<RoomClientPage, 'server'>,
  call: FakeOneToOneCall,
  aliceEntry: RoomMember,
): Promise<void> {
  await call.bob.verify(aliceEntry);
  server.push({
    type: 'room.share',
    callId: call.callId,
    slot: 1,
    share: (await call.bob.entry()).share,
  });
  await settle(() => server.keysTo(1).length === 1);
  const carol = await OtherMember.join('carol', 2, call.callId);
  await carol.verify(aliceEntry);
  server.push({ type: 'room.member_joined', callId: call.callId, member: await carol.entry() });
  server.push({ type: 'room.path', callId: call.callId, path: 'sfu' });
}

/** Devices chosen in the settings mid-call, which getUserMedia's stand-in hands out in turn. */
const chosenInputs: MediaStreamTrack[] = [];

/** getUserMedia's stand-in for a device chosen mid-call: the track `chooseInput` was given. */
export const openChosenInput: OpenInput = async (kind) => {
  const track = chosenInputs.shift();
  if (track?.kind !== kind) throw new Error(`no ${kind} device was chosen`);
  return track;
};

/** `track`'s device is chosen in the settings: `member` feeds the call from it (useInput). */
export async function chooseInput(member: LocalMember, track: MediaStreamTrack): Promise<void> {
  chosenInputs.push(track);
  try {
    await member.useInput(track.kind === 'audio' ? 'audio' : 'video', track.id);
  } finally {
    // A member in no call opens nothing: the choice goes.
    const left = chosenInputs.indexOf(track);
    if (left >= 0) chosenInputs.splice(left, 1);
  }
}

/** The inputs `member` sends in the call, as its self view shows them. */
export function inputsOf(member: LocalMember): MediaStreamTrack[] {
  return member.localStream.value?.getTracks() ?? [];
}

/** The call screen's mute button, pressed if the microphone is not `on` already. */
export function setMicrophone(member: LocalMember, on: boolean): void {
  if (member.inCall && member.muted.value === on) member.toggleMute();
}

/** The call screen's camera button, pressed if the camera is not `on` already. */
export function setCamera(member: LocalMember, on: boolean): void {
  if (member.inCall && member.cameraOff.value === on) member.toggleCamera();
}

/**
 * Alice's answered 1:1 call with Bob (she called: slot 0, Bob slot 1), as CallController hands it
 * over while `live`: once the group call took our member, what its 1:1 connection is asked is
 * recorded (a mute or camera switch of its tracks, what it is sent), and so is what Bob is told
 * (call.media); it is gone once handed over or hung up.
 */
export class FakeOneToOneCall {
  readonly asked: string[] = [];
  /** Cameras the 1:1 call opened, turned on mid-call. */
  readonly camerasOpened: FakeTrack[] = [];
  /** What Bob is told we send (call.media) over the 1:1 connection. */
  readonly told: { audio: boolean; video: boolean }[] = [];
  readonly remote = { microphone: fakeTrack('audio'), camera: fakeTrack('video') };
  /**
   * Bob as the 1:1 call models him (CallController.peer): his stream over the 1:1 connection,
   * whose frames decrypt as a live call's do.
   */
  readonly bobMember = new RemoteMember('p2p');
  /** The call's own media, which its 1:1 connection sends (recorded in `asked`). */
  readonly media: LocalMedia;
  /** Our side of the 1:1 call (its mute button), which the group call takes on whole. */
  readonly member = new CallMediaControls(undefined, openChosenInput);
  /** Both as the 1:1 call hands them on whole (PairCall's members). */
  private readonly members = new CallMembers(this.member, this.bobMember);
  /** The call itself (members and media), held by the 1:1 call until it closes (as CallConnection). */
  readonly activeCall: ActiveCall;
  private readonly peerChannel: MemberChannel;
  live = true;
  constructor(
    readonly callId: string,
    readonly bob: OtherMember,
    readonly bobEntry: RoomMember,
    /** Why our camera could not be opened for this video call (null: it was). */
    cameraFailure: CameraFailure | null = null,
    /** A voice call opens no camera. */
    readonly callMedia: CallMedia = 'video',
  ) {
    const tracks: LocalTracks = localTracks();
    this.recordSwitches(tracks.microphone!, 'microphone');
    this.recordSwitches(tracks.camera!, 'camera');
    if (cameraFailure || callMedia === 'audio') tracks.camera = null;
    const media = new LocalMedia(tracks, { trackEnded() {}, changed() {} });
    media.cameraFailure = cameraFailure;
    this.media = media;
    this.activeCall = new ActiveCall(this.members, media);
    this.activeCall.hold('pair');
    this.activeCall.paths.p2pRetires(() => void this.asked.push('moving'));
    const { microphone, camera } = this.remote;
    this.bobMember.showStream({
      getAudioTracks: () => [microphone],
      getVideoTracks: () => [camera],
    } as unknown as MediaStream);
    media.attach({
      keyPort: { post() {} },
      send: async (source, track) => void this.asked.push(`1:1 sends ${source} ${track?.id}`),
      close() {},
    });
    this.member.attach({
      localStream: { id: '1:1 self' } as unknown as MediaStream,
      hasVideo: media.hasVideo,
      cameraFailure,
      setMicrophoneEnabled: (on) => media.setMicrophoneEnabled(on),
      setCameraEnabled: (on) => media.setCameraEnabled(on),
      replaceInput: (track) => media.replaceInput(track),
      sendScreen: (track) => media.shareScreen(track),
    });
    this.peerChannel = this.member.tellPeerThrough((state) => void this.told.push(state));
  }
  static async start(
    cameraFailure: CameraFailure | null = null,
    callMedia: CallMedia = 'video',
  ): Promise<FakeOneToOneCall> {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    return new FakeOneToOneCall(callId, bob, await bob.entry(), cameraFailure, callMedia);
  }
  growable = (): GrowingCall | null => {
    if (!this.live) return null;
    this.framesOverOneToOne();
    return {
      callId: this.callId,
      media: this.callMedia,
      ownSlot: 0,
      peer: {
        slot: 1,
        user: { username: 'bob', displayName: title('bob') },
        deviceId: this.bobEntry.deviceId,
        identity: this.bobEntry.identity,
      },
      activeCall: this.activeCall,
      detach: () => {
        this.asked.push('handOver');
        this.closed();
      },
      hangUp: () => {
        this.asked.push('hangUp');
        this.closed();
      },
      startVideo: () => this.startVideo(),
    };
  };

  /**
   * Our camera turned on while the 1:1 connection carries the call, as the pair layer does it
   * (CallEngine.startVideo): a camera opened (`camerasOpened`) into the call's media, which sends
   * it on every path, and the 1:1 connection's offer of it (recorded in `asked`).
   */
  private async startVideo(): Promise<void> {
    if (!this.live) throw new Error('the 1:1 connection is closed');
    const camera = fakeTrack('video');
    this.camerasOpened.push(camera);
    await this.media.sendCamera(camera);
    this.asked.push('1:1 offers video');
  }

  /** The 1:1 connection is gone: Bob is told nothing more over it (as PairCall's release). */
  private closed(): void {
    this.live = false;
    this.peerChannel.end();
    this.activeCall.letGo('pair');
  }

  /** A mute or camera switch of the 1:1 connection's `track` once the group call drives it. */
  private recordSwitches(track: MediaStreamTrack, source: 'microphone' | 'camera'): void {
    let enabled = track.enabled;
    Object.defineProperty(track, 'enabled', {
      get: () => enabled,
      set: (on: boolean) => {
        if (on !== enabled && this.live && this.activeCall.heldBy('room'))
          this.asked.push(`${source}:${on}`);
        enabled = on;
      },
    });
  }

  /** The clock the 1:1 connection's frame counts are reported at. */
  clock = () => Date.now();
  private decrypted = 0;
  /** The 1:1 connection's worker reports more of Bob's frames decrypted, now. */
  framesOverOneToOne(): void {
    this.decrypted += 50;
    const counts = { decrypted: this.decrypted, decryptFailed: 0 };
    this.bobMember.framesCounted('p2p', { audio: counts, video: counts }, this.clock());
  }
}
