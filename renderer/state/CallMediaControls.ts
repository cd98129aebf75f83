import { LocalMember, type MemberEngine, type StartVideo } from './localMember/LocalMember';

/** The slice of the engine the media controls drive (the unit tests pass a stand-in). */
export type MediaEngine = MemberEngine;

/**
 * The 1:1 call's LocalMember: our side of it, told to the peer as call.media, where a shared
 * screen is our video (what the peer says of its own is its RemoteMember's).
 */
export class CallMediaControls extends LocalMember {
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
}
