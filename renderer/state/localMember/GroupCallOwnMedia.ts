import { signal, type Signal } from '@preact/signals';
import type { CallMedia, MediaSource } from '../../../protocol';
import { LocalMedia, type LocalKind, type LocalTracks } from '../../call/LocalMedia';
import { ActiveCall } from '../ActiveCall';
import { CallMembers } from '../CallMembers';
import type { OwnMediaSwitches } from '../GroupCallMediaMemory';
import type { MemberMedia } from '../roomCallState';
import { RoomLocalMedia, type RoomLocalMediaDeps } from '../RoomLocalMedia';
import {
  LocalMember,
  type MemberChannel,
  type MemberSwitches,
  type OpenInput,
} from './LocalMember';
import { MemberFollower } from './MemberFollower';

/** The group call under way, as our side of it needs to know it. */
export interface OwnCall {
  callId: string;
  media: CallMedia;
  /**
   * Its members (ours among them drives the call screen) and its one local media: a grown call's
   * are the 1:1 call's.
   */
  activeCall: ActiveCall<LocalMember>;
}

export interface GroupCallOwnMediaDeps {
  /** The call we are in now (null: none). */
  call(): OwnCall | null;
  /** Tells the others what we send (room.media), and keeps it for a reload. */
  announce(callId: string, state: MemberMedia): void;
  /** Our switches as they were before the reload this call was rejoined after (null: none). */
  restored(callId: string): OwnMediaSwitches | null;
  /** Opens our microphone and camera (microphone only for an audio call). */
  localTracks(media: CallMedia): Promise<LocalTracks>;
  /** Opens a microphone or camera chosen mid-call (default: the browser's getUserMedia). */
  openInput?: OpenInput;
  /** Opens the camera the device settings chose, turned on mid-call; throws MediaAccessError. */
  openCamera(): Promise<MediaStreamTrack>;
  /** A stream of these tracks for our own tile. */
  selfView(tracks: MediaStreamTrack[]): MediaStream;
  /** Our microphone or camera ended by itself (unplugged). */
  inputEnded(kind: LocalKind): void;
  changed(): void;
  logError(error: unknown): void;
}

/**
 * Our side of a group call: the call screen's LocalMember (the call's members' own: ours, or a
 * grown 1:1 call's, handed on whole), kept on the call under way and told to the others as
 * room.media, and the call's media it drives (opened once for the call, or a grown call's handed
 * on), sent through the SFU, and through the 1:1 connection while a grown call still has it (the
 * same tracks: one change).
 */
export class GroupCallOwnMedia {
  /** Our member in a call we create or join. */
  private readonly own: LocalMember;
  private readonly current: Signal<LocalMember>;
  private follower: MemberFollower;
  /** The others hear what we send through this (room.media) while we are in the call. */
  private channel: MemberChannel | null = null;
  private local: RoomLocalMedia | null = null;
  /** The call we are in, which we hold until it is over for us. */
  private activeCall: ActiveCall<LocalMember> | null = null;
  /** What we entered the call with: video opens our camera with the call's media. */
  private entered: CallMedia = 'audio';

  constructor(private readonly deps: GroupCallOwnMediaDeps) {
    this.own = new LocalMember(undefined, deps.openInput);
    this.current = signal(this.own);
    this.follower = new MemberFollower(this.own, deps.selfView);
  }

  /** The call screen's switches: a grown call's member, handed on, or ours. */
  get member(): LocalMember {
    return this.current.value;
  }

  /** What we send now (nothing before our media opens). */
  get state(): MemberMedia {
    return this.local?.state ?? { audio: false, video: false, screen: false };
  }

  track(source: MediaSource): MediaStreamTrack | null {
    return this.local?.track(source) ?? null;
  }

  /** Our microphone and camera tracks in the call now (none before they open). */
  private inputs(): MediaStreamTrack[] {
    const inputs = [this.track('microphone'), this.track('camera')];
    return inputs.filter((track): track is MediaStreamTrack => !!track);
  }

  /** A call we create or join as `media`: our member, nobody else yet, and nothing open yet. */
  newCall(callId: string, media: CallMedia): ActiveCall<LocalMember> {
    const activeCall = new ActiveCall(
      new CallMembers(this.own),
      LocalMedia.empty({ trackEnded() {}, changed() {} }),
      'sfu',
    );
    this.enter(activeCall, callId, media);
    return activeCall;
  }

  /**
   * We are in `activeCall` (held for the group call until `close`). A grown call's media is open
   * already, still sent peer to peer: we send it from now on; a call entered as a group call opens
   * its media when it is first sent (`forSfu`).
   */
  enter(activeCall: ActiveCall<LocalMember>, callId: string, media: CallMedia): void {
    activeCall.hold('room');
    this.activeCall = activeCall;
    this.entered = media;
    this.local = activeCall.local.hasInputs ? this.localMedia(activeCall, callId, media) : null;
  }

  /**
   * Our media for the SFU path of call `callId`: a grown call's, or `media` (a join may ask for
   * sound only) opened once it is first sent, muted or off as before a reload.
   */
  forSfu(callId: string, media: CallMedia): RoomLocalMedia {
    if (!this.activeCall) throw new Error('no group call entered');
    this.local ??= this.localMedia(this.activeCall, callId, media);
    return this.local;
  }

  /** What we send in `activeCall`: its one LocalMedia, opened (if it has nothing open) for `media`. */
  private localMedia(
    activeCall: ActiveCall<LocalMember>,
    callId: string,
    media: CallMedia,
  ): RoomLocalMedia {
    const before = this.deps.restored(callId);
    return new RoomLocalMedia(activeCall.local, this.localDeps(), async () =>
      switchedAsBefore(await this.deps.localTracks(media), before),
    );
  }

  /**
   * Feeds the call from another microphone or camera (a getUserMedia track, owned by the call from
   * now on): through the SFU, and through the 1:1 connection while a grown call still has it.
   */
  private async replaceInput(track: MediaStreamTrack): Promise<void> {
    if (!this.local) {
      track.stop();
      return;
    }
    await this.local.replaceInput(track).catch(this.deps.logError);
  }

  /**
   * The call changed: our member follows it, driving our media there, its switches as they were
   * (a grown call keeps the 1:1 call's media, a rejoined one what was kept).
   */
  follow(): void {
    const call = this.deps.call();
    if (call) this.use(call.activeCall.members.own);
    this.follower.follow(call && { callId: call.callId, inputs: this.inputs() }, (localStream) => {
      this.channel = this.current.peek().announceThrough((state) => this.announce(state));
      const sendsVideo = () => this.sendsVideo;
      return {
        engine: {
          localStream,
          // Read each time: a camera turned on mid-call makes it true.
          get hasVideo() {
            return sendsVideo();
          },
          cameraFailure: this.local?.cameraFailure ?? null,
          setMicrophoneEnabled: (on) => this.local?.setMicrophone(on),
          setCameraEnabled: (on) => this.local?.setCamera(on),
          replaceInput: (track) => this.replaceInput(track),
          sendScreen: (track) => this.sendScreen(track),
          startCamera: () => this.startCamera(),
        },
        switches: call ? this.switchesOf(call.callId) : undefined,
      };
    });
    if (call) return;
    // Over (the member was reset, its channels ended): the next call we make or join is ours.
    this.channel = null;
    this.use(this.own);
  }

  /**
   * Whether we send a camera: it is open, or opens with the call's media (entered for video).
   * A grown video call whose camera could not be opened goes on without it, saying why.
   */
  private get sendsVideo(): boolean {
    if (this.local?.hasCamera) return true;
    return this.entered === 'video' && !this.local?.cameraFailure;
  }

  /**
   * Our camera turned on in a call we entered without it (an audio call, a join with sound only,
   * a grown call whose camera failed): the chosen camera, produced through the SFU, and the
   * others told (room.media, by our member). While a grown call is still carried by its 1:1
   * connection, the pair layer opens it (the call's media then sends it on every path, an SFU
   * path made later too) and offers it over that connection, as a 1:1 call does; the peer is told
   * by call.media meanwhile.
   */
  private async startCamera(): Promise<void> {
    const { activeCall, local } = this;
    if (!activeCall || !local) throw new Error('the call’s media is not open yet');
    const oneToOne = activeCall.paths.carries('p2p') ? activeCall.paths.bridged : null;
    if (oneToOne) {
      await oneToOne.startVideo();
      return;
    }
    const track = await this.deps.openCamera();
    if (this.local !== local) {
      track.stop();
      throw new Error('the call ended while the camera opened');
    }
    await local.addCamera(track);
  }

  /** The call is over for us: nothing more is sent or told from here (the call stops its tracks). */
  close(): void {
    this.local?.close();
    this.local = null;
    this.activeCall?.letGo('room');
    this.activeCall = null;
  }

  /** From now on the call screen's switches are `member`'s. */
  private use(member: LocalMember): void {
    if (this.current.peek() === member) return;
    this.current.value = member;
    this.follower = new MemberFollower(member, this.deps.selfView);
  }

  /** Tells the others what we send while a path sends it. */
  private announce(state: MemberMedia): void {
    const call = this.deps.call();
    if (call && this.local?.sending) this.deps.announce(call.callId, state);
  }

  /** What our member's screen share drives: the screen producer (null: none). */
  private async sendScreen(track: MediaStreamTrack | null): Promise<void> {
    if (!this.local) {
      track?.stop();
      return;
    }
    const sent = track ? this.local.shareScreen(track) : this.local.stopScreenShare();
    await sent.catch(this.deps.logError);
  }

  /** Our switches as they were: kept over a reload, or those of the 1:1 call's open media. */
  private switchesOf(callId: string): MemberSwitches | undefined {
    const handedOn = this.local?.track('microphone') ? this.local.state : null;
    const state = this.deps.restored(callId) ?? handedOn;
    return state ? { muted: !state.audio, cameraOff: !state.video } : undefined;
  }

  private localDeps(): RoomLocalMediaDeps {
    return {
      sending: () => this.channel?.tellAgain(),
      changed: () => this.deps.changed(),
      inputEnded: (kind) => this.deps.inputEnded(kind),
    };
  }
}

/** Our tracks, muted or off as they were before a reload (`before`; null: as opened). */
function switchedAsBefore(tracks: LocalTracks, before: OwnMediaSwitches | null): LocalTracks {
  if (before && tracks.microphone) tracks.microphone.enabled = before.audio;
  if (before && tracks.camera) tracks.camera.enabled = before.video;
  return tracks;
}
