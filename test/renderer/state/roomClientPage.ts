import { signal } from '@preact/signals';
import { randomUUID } from 'node:crypto';
import type { CallMedia, RoomMember } from '../../../protocol';
import { LocalMedia } from '../../../renderer/call/LocalMedia';
import { callLinkUrls } from '../../../renderer/state/callLinkUrls';
import type { GrowingCall } from '../../../renderer/state/growingCall';
import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';
import { RoomClient, type RoomClientDeps } from '../../../renderer/state/RoomClient';
import {
  FakeMediaPath,
  FakeRoomServer,
  OtherMember,
  fakeTrack,
  localTracks,
  selfDevice,
  title,
} from './fakeRoomServer';

/**
 * A page's RoomClient over the fake room server, signed in as `username`: media paths are fakes
 * (`paths`), each opening of our camera and microphone is recorded (`opened`, `openedFor`), and
 * so is each input that ended by itself. `deps` replaces any of its parts.
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
    linkUrls: (token) => callLinkUrls('wss://parley.example/ws', token),
    streamOf: (track) => ({ id: `stream:${track.id}` }) as unknown as MediaStream,
    selfView: (tracks) => ({ id: 'self', getTracks: () => tracks }) as unknown as MediaStream,
    now: () => Date.now(),
    rotationSwitchMs: 60_000,
    oneToOneCall: () => null,
    self: () => null,
    inputEnded: (kind) => void inputsEnded.push(kind),
    ...deps,
  });
  server.deliver = (notice) => client.onNotice(notice);
  const path = () => {
    const latest = paths.at(-1);
    if (!latest) throw new Error('no media path was made');
    return latest;
  };
  return { server, self, client, paths, path, opened, openedFor, rooms, inputsEnded };
}

/**
 * Alice's answered 1:1 call with Bob (she called: slot 0, Bob slot 1), as CallController hands it
 * over while `live`: what was asked of it is recorded, what its 1:1 connection is sent too, and it
 * is gone once handed over or hung up.
 */
export class FakeOneToOneCall {
  readonly asked: string[] = [];
  readonly remote = { microphone: fakeTrack('audio'), camera: fakeTrack('video') };
  /**
   * Bob as the 1:1 call models him (CallController.peer): his stream over the 1:1 connection,
   * whose frames decrypt as a live call's do.
   */
  readonly bobMember = new RemoteMember('p2p');
  /** The call's own media, which its 1:1 connection sends (recorded in `asked`). */
  readonly media = new LocalMedia(localTracks(), { trackEnded() {}, changed() {} });
  live = true;
  constructor(
    readonly callId: string,
    readonly bob: OtherMember,
    readonly bobEntry: RoomMember,
  ) {
    const { microphone, camera } = this.remote;
    this.bobMember.showStream({
      getAudioTracks: () => [microphone],
      getVideoTracks: () => [camera],
    } as unknown as MediaStream);
    this.media.attach({
      keyPort: { post() {} },
      send: async (source, track) => void this.asked.push(`1:1 sends ${source} ${track?.id}`),
      close() {},
    });
  }
  static async start(): Promise<FakeOneToOneCall> {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    return new FakeOneToOneCall(callId, bob, await bob.entry());
  }
  growable = (): GrowingCall | null => {
    if (!this.live) return null;
    this.framesOverOneToOne();
    return {
      callId: this.callId,
      media: 'video',
      ownSlot: 0,
      peer: {
        slot: 1,
        user: { username: 'bob', displayName: title('bob') },
        deviceId: this.bobEntry.deviceId,
        identity: this.bobEntry.identity,
        member: this.bobMember,
      },
      localMedia: () => this.media,
      setMicrophone: (on) => void this.asked.push(`microphone:${on}`),
      setCamera: (on) => void this.asked.push(`camera:${on}`),
      moving: () => void this.asked.push('moving'),
      handOver: () => {
        this.asked.push('handOver');
        this.live = false;
      },
      hangUp: () => {
        this.asked.push('hangUp');
        this.live = false;
      },
    };
  };
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
