import { effect } from '@preact/signals';
import { CallMediaControls } from './CallMediaControls';
import type { RoomClient } from './RoomClient';

/**
 * The call screen's microphone, camera, device and screen-share controls for a group call: the
 * same controls as in a 1:1 call, driving the RoomClient's own media. They attach while a group call
 * is on and reset when it ends; RoomLocalMedia itself tells the others what we send.
 */
export function groupCallMediaControls(rooms: RoomClient): CallMediaControls {
  const controls = new CallMediaControls(() => {});
  let attachedTo: string | null = null;
  let inputs = '';
  effect(() => {
    const view = rooms.view.value;
    if (!view) {
      if (attachedTo !== null) controls.reset();
      attachedTo = null;
      inputs = '';
      return;
    }
    // Which devices feed the call (the settings' "in use") follows a device chosen mid-call.
    const tracks = rooms.localInputs();
    const ids = tracks.map((track) => track.id).join(' ');
    if (attachedTo === view.callId) {
      if (ids !== inputs) controls.localStream.value = new MediaStream(tracks);
      inputs = ids;
      return;
    }
    attachedTo = view.callId;
    inputs = ids;
    controls.attach({
      localStream: new MediaStream(tracks),
      hasVideo: view.media === 'video',
      setMicrophoneEnabled: (on) => rooms.setMicrophone(on),
      setCameraEnabled: (on) => rooms.setCamera(on),
      replaceInput: (track) => rooms.replaceInput(track),
      sendScreen: (track) => (track ? rooms.shareScreen(track) : rooms.stopScreenShare()),
    });
    // A call grown from the 1:1 call (path p2p until its third member joins) keeps that call's
    // microphone and camera, muted or off as they were.
    const own = view.tiles.find((tile) => tile.self);
    if (view.path === 'p2p' && own) {
      controls.muted.value = !own.microphoneOn;
      controls.cameraOff.value = !own.cameraOn;
    }
    // A call rejoined after a reload opens them as they were before it.
    const restored = rooms.restored(view.callId);
    if (restored) {
      controls.muted.value = !restored.audio;
      controls.cameraOff.value = !restored.video;
    }
  });
  return controls;
}
