import { signal } from '@preact/signals';
import { LocalMember, type MemberEngine, type StartVideo } from './localMember/LocalMember';

/** The slice of the engine the media controls drive (the unit tests pass a stand-in). */
export type MediaEngine = MemberEngine;

/**
 * The 1:1 call's media: our side is its LocalMember (what we send, told to the peer as call.media,
 * where a shared screen is our video), plus what the peer says of its own.
 */
export class CallMediaControls extends LocalMember {
  readonly remoteMuted = signal(false);
  readonly remoteCameraOff = signal(false);

  /**
   * `announce` tells the peer our microphone and camera state (call.media); `startVideo` turns
   * an audio call (or one answered with sound only) into video on our side.
   */
  constructor(
    announce: (state: { audio: boolean; video: boolean }) => void,
    startVideo?: StartVideo,
  ) {
    // The peer sees a shared screen as our video, so it must not hide it as "camera off".
    super(({ audio, video, screen }) => announce({ audio, video: video || screen }), startVideo);
  }

  onRemoteMedia(state: { audio: boolean; video: boolean }): void {
    this.remoteMuted.value = !state.audio;
    this.remoteCameraOff.value = !state.video;
  }

  override reset(): void {
    super.reset();
    this.remoteMuted.value = false;
    this.remoteCameraOff.value = false;
  }
}
