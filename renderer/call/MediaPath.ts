import type { MediaSource } from '../../protocol';
import type { E2eeWorkerPort } from '../keys/SenderKeyRing';

/**
 * How a call's media travels: peer to peer (P2pPath, a call of two) or through the SFU
 * (SfuPath). A path is given the call's local tracks (LocalMedia) and never owns them: `close()`
 * ends only its transports and its E2EE worker, so the call goes on over another path with the
 * same camera and microphone. How a source goes out is the path's decision: peer to peer, a
 * shared screen takes the camera's place; through the SFU it is a producer of its own.
 */
export interface MediaPath {
  /** The path's E2EE worker, where the call's SFrame keys go. */
  readonly keyPort: E2eeWorkerPort;
  /** From now on our `source` is `track` (null: we stop sending it). */
  send(source: MediaSource, track: MediaStreamTrack | null): Promise<void>;
  close(): void;
}
