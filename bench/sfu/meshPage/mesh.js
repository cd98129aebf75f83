/* global window, document, navigator, atob, Worker, RTCPeerConnection, RTCRtpScriptTransform */
// One member of a group call made as a full mesh: a peer connection to every other member, each
// sending this page's camera and microphone, every sender and receiver through Parley's own
// E2EE worker (e2ee-worker.js, served beside this page) keyed as a group call's sender slots are.
// The benchmark moves the SDP between pages; ICE is gathered before each description is handed
// over, so no candidates need moving.

const peers = new Map();
let local = null;
let worker = null;

/** A group-call KID with generation 0 and epoch 0: the slot in bits 16-31 (callKeyIds.ts). */
const kidOf = (slot) => BigInt(slot) << 16n;

window.mesh = {
  /** Opens the camera and microphone and starts the worker with this member's sender key. */
  async start(slot, width, height, sendKey) {
    local = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width, height, frameRate: 15 },
    });
    worker = new Worker('e2ee-worker.js', { name: 'parley-e2ee' });
    worker.postMessage({ kind: 'setSendKey', kid: kidOf(slot), baseKey: bytes(sendKey) });
  },

  /** Lets this member decrypt `slot`'s frames. */
  receiveFrom(slot, key) {
    worker.postMessage({ kind: 'setReceiveKey', kid: kidOf(slot), baseKey: bytes(key) });
  },

  async offer(peerSlot) {
    const pc = connectionTo(peerSlot);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    return pc.localDescription.sdp;
  },

  async answer(peerSlot, sdp) {
    const pc = connectionTo(peerSlot);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    return pc.localDescription.sdp;
  },

  async accept(peerSlot, sdp) {
    await peers.get(peerSlot).setRemoteDescription({ type: 'answer', sdp });
  },

  close() {
    for (const pc of peers.values()) pc.close();
    for (const track of local?.getTracks() ?? []) track.stop();
    worker?.terminate();
  },
};

function bytes(base64) {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function connectionTo(peerSlot) {
  let pc = peers.get(peerSlot);
  if (pc) return pc;
  pc = new RTCPeerConnection();
  // Played, as the SFU member plays its consumers.
  pc.addEventListener('track', (event) => {
    if (event.track.kind !== 'video') return;
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.srcObject = event.streams[0];
    document.body.append(video);
  });
  for (const track of local.getTracks()) {
    const sender = pc.addTrack(track, local);
    const mediaKind = track.kind === 'audio' ? 'audio' : 'video';
    // As Parley does: both transforms right after addTrack, before any remote description.
    sender.transform = new RTCRtpScriptTransform(worker, { operation: 'encrypt', mediaKind });
    const transceiver = pc.getTransceivers().find((t) => t.sender === sender);
    transceiver.receiver.transform = new RTCRtpScriptTransform(worker, {
      operation: 'decrypt',
      mediaKind,
    });
  }
  peers.set(peerSlot, pc);
  return pc;
}

function gathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}
