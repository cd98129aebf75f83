/* global window, document, navigator, crypto, Worker, RTCPeerConnection, RTCRtpScriptTransform */
// A two-peer 720p video call in one page, signaling by function call, once in the clear and once
// with Parley's own encoded-transform worker (e2ee-worker.js, served beside this page) on every
// sender and receiver, keyed as a call's caller (slot 0) and callee (slot 1) would be.

const CALLER_KID = 0n;
const CALLEE_KID = 1n << 16n;
const VIDEO = { width: { exact: 1280 }, height: { exact: 720 }, frameRate: { ideal: 30 } };

let call = null;

/**
 * One peer's E2EE worker (the product's, or a baseline build of it served as another script),
 * its frame counts as last reported, and the transforms it serves.
 */
function createCryptoWorker(script, sendKid, sendKey, receiveKid, receiveKey) {
  const worker = new Worker(script, { name: 'parley-e2ee' });
  const state = { worker, counts: null, profileWaiters: [] };
  worker.onmessage = (event) => {
    if (event.data.kind === 'stats') state.counts = event.data.counts;
    if (event.data.kind === 'profile') state.profileWaiters.shift()?.(event.data.profile);
  };
  worker.postMessage({ kind: 'setSendKey', kid: sendKid, baseKey: sendKey });
  worker.postMessage({ kind: 'setReceiveKey', kid: receiveKid, baseKey: receiveKey });
  return state;
}

/** Camera and mic added; with a worker, every sender and receiver routed through it at once. */
function createPeer(stream, crypto) {
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) {
    const sender = pc.addTrack(track, stream);
    if (!crypto) continue;
    const mediaKind = track.kind === 'audio' ? 'audio' : 'video';
    // As Parley does: both transforms right after addTrack, before any remote description.
    sender.transform = new RTCRtpScriptTransform(crypto.worker, {
      operation: 'encrypt',
      mediaKind,
    });
    const transceiver = pc.getTransceivers().find((t) => t.sender === sender);
    transceiver.receiver.transform = new RTCRtpScriptTransform(crypto.worker, {
      operation: 'decrypt',
      mediaKind,
    });
  }
  const peer = { pc, stream, crypto, candidates: [], remote: null };
  pc.addEventListener('icecandidate', (event) => {
    if (event.candidate) peer.candidates.push(event.candidate);
    deliverCandidates(peer);
  });
  return peer;
}

function deliverCandidates(peer) {
  const to = peer.remote?.pc;
  while (to?.remoteDescription && peer.candidates.length > 0) {
    void to.addIceCandidate(peer.candidates.shift());
  }
}

function randomKey() {
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * Starts a call without E2EE (workerScript null) or with the worker at workerScript; resolves
 * once offer and answer are applied.
 */
window.startCall = async (workerScript) => {
  const encrypted = workerScript !== null;
  const callerKey = randomKey();
  const calleeKey = randomKey();
  const [offererStream, answererStream] = await Promise.all([
    navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO }),
    navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO }),
  ]);
  const offerer = createPeer(
    offererStream,
    encrypted
      ? createCryptoWorker(workerScript, CALLER_KID, callerKey, CALLEE_KID, calleeKey)
      : null,
  );
  const answerer = createPeer(
    answererStream,
    encrypted
      ? createCryptoWorker(workerScript, CALLEE_KID, calleeKey, CALLER_KID, callerKey)
      : null,
  );
  offerer.remote = answerer;
  answerer.remote = offerer;
  offerer.pc.addEventListener('track', (event) => {
    document.getElementById('remote-offerer').srcObject = event.streams[0];
  });
  answerer.pc.addEventListener('track', (event) => {
    document.getElementById('remote-answerer').srcObject = event.streams[0];
  });
  call = { offerer, answerer };
  const offer = await offerer.pc.createOffer();
  await offerer.pc.setLocalDescription(offer);
  await answerer.pc.setRemoteDescription(offer);
  deliverCandidates(offerer);
  const answer = await answerer.pc.createAnswer();
  await answerer.pc.setLocalDescription(answer);
  await offerer.pc.setRemoteDescription(answer);
  deliverCandidates(answerer);
};

async function peerStats(peer) {
  const result = { framesDecoded: 0, framesEncoded: 0, width: 0, height: 0, codec: '' };
  const stats = await peer.pc.getStats();
  const codecs = new Map();
  stats.forEach((report) => {
    if (report.type === 'codec') codecs.set(report.id, report.mimeType);
  });
  stats.forEach((report) => {
    if (report.kind !== 'video') return;
    if (report.type === 'inbound-rtp') {
      result.framesDecoded += report.framesDecoded ?? 0;
      result.width = report.frameWidth ?? 0;
      result.height = report.frameHeight ?? 0;
    }
    if (report.type === 'outbound-rtp') {
      result.framesEncoded += report.framesEncoded ?? 0;
      result.codec = codecs.get(report.codecId) ?? '';
    }
  });
  result.worker = peer.crypto?.counts ?? null;
  return result;
}

/** Video counters of both peers (and, with E2EE, the workers' frame counts). */
window.readStats = async () => {
  const [offerer, answerer] = await Promise.all([
    peerStats(call.offerer),
    peerStats(call.answerer),
  ]);
  return { offerer, answerer };
};

/** Both workers time every frame's stages from now on (the product worker only). */
window.startProfile = () => {
  for (const peer of [call.offerer, call.answerer]) {
    peer.crypto.worker.postMessage({ kind: 'profile', enabled: true });
  }
};

/** Both workers' stage totals since startProfile: [offerer's, answerer's]. */
window.readProfile = () =>
  Promise.all(
    [call.offerer, call.answerer].map(
      (peer) =>
        new Promise((resolve) => {
          peer.crypto.profileWaiters.push(resolve);
          peer.crypto.worker.postMessage({ kind: 'readProfile' });
        }),
    ),
  );

window.hangUp = () => {
  for (const peer of [call.offerer, call.answerer]) {
    peer.pc.close();
    for (const track of peer.stream.getTracks()) track.stop();
    peer.crypto?.worker.terminate();
  }
  document.getElementById('remote-offerer').srcObject = null;
  document.getElementById('remote-answerer').srcObject = null;
  call = null;
};
