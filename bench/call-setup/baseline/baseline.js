/* global window, document, navigator, RTCPeerConnection */
// The least a 1:1 video call needs, both peers in one page: the reference Parley is measured
// against. The offerer plays the caller, the answerer the callee; signaling is a function call,
// and ICE candidates trickle as they are gathered.

let call = null;

function openMedia(video) {
  return navigator.mediaDevices.getUserMedia({ audio: true, video });
}

/** A connection with its media added and its candidates queued until the peer can take them. */
function createPeer(stream) {
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const peer = { pc, stream, candidates: [], remote: null };
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

/**
 * The caller's part: camera and mic open, offer made (the offerer is the page's next connection).
 * `video` is the getUserMedia video constraint both peers use (true: the camera's default).
 */
window.prepareCall = async (video) => {
  const offerer = createPeer(await openMedia(video));
  offerer.pc.addEventListener('track', (event) => {
    document.getElementById('remote').srcObject = event.streams[0];
  });
  const offer = await offerer.pc.createOffer();
  await offerer.pc.setLocalDescription(offer);
  call = { video, offerer, offer, answerer: null };
};

/**
 * The callee's part, from the moment it accepts: open its camera and mic, answer, and hand the
 * answer to the caller. Returns Date.now() at the accept.
 */
window.acceptCall = async () => {
  const acceptedAt = Date.now();
  const { video, offerer, offer } = call;
  const answerer = createPeer(await openMedia(video));
  call.answerer = answerer;
  offerer.remote = answerer;
  answerer.remote = offerer;
  await answerer.pc.setRemoteDescription(offer);
  deliverCandidates(offerer);
  const answer = await answerer.pc.createAnswer();
  await answerer.pc.setLocalDescription(answer);
  await offerer.pc.setRemoteDescription(answer);
  deliverCandidates(answerer);
  return acceptedAt;
};

window.hangUp = () => {
  for (const peer of [call.offerer, call.answerer]) {
    if (!peer) continue;
    peer.pc.close();
    for (const track of peer.stream.getTracks()) track.stop();
  }
  document.getElementById('remote').srcObject = null;
  call = null;
};
