import { LocalMember, type MemberChannel, type MemberEngine } from './localMember/LocalMember';

/** The slice of the engine the media controls drive (the unit tests pass a stand-in). */
export type MediaEngine = MemberEngine;

/**
 * The 1:1 call's LocalMember: our side of it, told to the peer as call.media, where a shared
 * screen is our video (what the peer says of its own is its RemoteMember's). A call that grows
 * hands it on whole to the group call.
 */
export class CallMediaControls extends LocalMember {
  /** Tells the peer our microphone and camera state through `announce` (call.media). */
  tellPeerThrough(announce: (state: { audio: boolean; video: boolean }) => void): MemberChannel {
    // The peer sees a shared screen as our video, so it must not hide it as "camera off".
    return this.announceThrough(({ audio, video, screen }) =>
      announce({ audio, video: video || screen }),
    );
  }

  /**
   * Once the call is answered: a camera that could not be opened shows to the peer (`channel`)
   * as a camera that is off (the call goes ahead with sound).
   */
  announceMissingCamera(channel: MemberChannel): void {
    if (this.cameraFailure.value) channel.tellAgain();
  }
}
