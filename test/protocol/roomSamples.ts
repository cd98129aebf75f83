/** One valid sample of every group-call message, shared by the protocol tests. */
const callId = '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10';
const sfuId = '0b5e0c1a-2f44-4c3e-9d0b-6a1f1e2d3c4b';
export const key = Buffer.alloc(32, 7).toString('base64');
export const sig = Buffer.alloc(64, 9).toString('base64');
const deviceId = 'dev_0123456789';
export const token = Buffer.alloc(16, 5).toString('base64url');
export const share = { ephemeralKey: key, slot: 2, signedAt: 1_780_000_000_000, signature: sig };
const alice = { username: 'alice', displayName: 'Alice' };
const chain = [
  { identityKey: key, signature: null },
  { identityKey: Buffer.alloc(32, 8).toString('base64'), signature: sig },
];
export const member = { slot: 2, user: alice, deviceId, identity: chain, share, state: 'joined' };
export const wrapped = {
  from: 0,
  to: 2,
  generation: 1,
  epoch: 3,
  iv: Buffer.alloc(12, 1).toString('base64'),
  ciphertext: Buffer.alloc(48, 2).toString('base64'),
};
export const rtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {} }],
  encodings: [{ ssrc: 1111, rid: 'r0', scalabilityMode: 'L1T3' }],
};
const transport = {
  id: sfuId,
  iceParameters: { usernameFragment: 'abcd', password: 'efgh', iceLite: true },
  iceCandidates: [
    { foundation: 'udpcandidate', priority: 1, address: '127.0.0.1', port: 40000, type: 'host' },
  ],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
};

/** One valid example per group-call message a client sends. */
export const roomClientSamples: Record<string, Record<string, unknown>> = {
  features: { v: 1, type: 'features', id: 'r1', features: ['rooms', 'teleport'] },
  'room.create': { v: 1, type: 'room.create', id: 'r2', callId, media: 'video', share },
  'room.invite': { v: 1, type: 'room.invite', id: 'r3', callId, to: 'carol' },
  'room.join': { v: 1, type: 'room.join', id: 'r4', callId, share },
  'room.rejoin': { v: 1, type: 'room.rejoin', id: 'r4', callId },
  'room.decline': { v: 1, type: 'room.decline', callId },
  'room.leave': { v: 1, type: 'room.leave', callId, seq: 4 },
  'room.media': { v: 1, type: 'room.media', callId, audio: true, video: false, screen: false },
  'room.carried': { v: 1, type: 'room.carried', callId },
  'room.share': { v: 1, type: 'room.share', callId, share },
  'room.keys': { v: 1, type: 'room.keys', callId, keys: [wrapped] },
  'room.key_ack': { v: 1, type: 'room.key_ack', callId, slot: 0, generation: 1, epoch: 3 },
  'room.router': { v: 1, type: 'room.router', id: 'r5', callId },
  'room.transports': {
    v: 1,
    type: 'room.transports',
    id: 'r6',
    callId,
    rtpCapabilities: { codecs: [], headerExtensions: [] },
  },
  'room.connect': {
    v: 1,
    type: 'room.connect',
    id: 'r7',
    callId,
    transportId: sfuId,
    dtlsParameters: transport.dtlsParameters,
  },
  'room.produce': {
    v: 1,
    type: 'room.produce',
    id: 'r8',
    callId,
    kind: 'video',
    source: 'camera',
    rtpParameters,
  },
  'room.producer_close': { v: 1, type: 'room.producer_close', id: 'r9', callId, producerId: sfuId },
  'room.pause': { v: 1, type: 'room.pause', id: 'r10', callId, consumerId: sfuId },
  'room.resume': { v: 1, type: 'room.resume', id: 'r11', callId, consumerId: sfuId },
  'room.layers': {
    v: 1,
    type: 'room.layers',
    id: 'r12',
    callId,
    consumerId: sfuId,
    spatialLayer: 2,
    temporalLayer: 1,
  },
  'room.keyframe': { v: 1, type: 'room.keyframe', id: 'r13', callId, consumerId: sfuId },
  'room.restart_ice': { v: 1, type: 'room.restart_ice', id: 'r14', callId, transportId: sfuId },
  'room.link_create': { v: 1, type: 'room.link_create', id: 'r15', callId, approval: true },
  'room.link_revoke': { v: 1, type: 'room.link_revoke', id: 'r16', callId },
  'room.link_open': { v: 1, type: 'room.link_open', id: 'r17', token },
  'room.link_join': { v: 1, type: 'room.link_join', id: 'r18', token },
  'room.admit': { v: 1, type: 'room.admit', id: 'r19', callId, username: 'dave', admit: true },
};

/** One valid example per group-call message the server sends. */
export const roomServerSamples: Record<string, Record<string, unknown>> = {
  features: { v: 1, type: 'features', re: 'r1', features: ['rooms'] },
  'room.invite': {
    v: 1,
    type: 'room.invite',
    callId,
    from: { ...alice, deviceId },
    media: 'video',
    slot: 3,
    path: 'sfu',
    members: [member],
    seq: 9,
  },
  room: {
    v: 1,
    type: 'room',
    re: 'r4',
    callId,
    media: 'video',
    slot: 2,
    path: 'sfu',
    members: [member, { ...member, slot: 0, share: null, state: 'reconnecting' }],
    invitations: [{ user: alice, state: 'ringing', invitedBy: 0 }],
    creator: true,
    link: { token, approval: true },
  },
  'room.invite_ended': { v: 1, type: 'room.invite_ended', callId, reason: 'answered_elsewhere' },
  'room.invitation': {
    v: 1,
    type: 'room.invitation',
    callId,
    invitation: { user: alice, state: 'declined', invitedBy: 1 },
  },
  'room.member_joined': { v: 1, type: 'room.member_joined', callId, member },
  'room.member_state': { v: 1, type: 'room.member_state', callId, slot: 2, state: 'reconnecting' },
  'room.member_left': { v: 1, type: 'room.member_left', callId, slot: 2, reason: 'left' },
  'room.ended': { v: 1, type: 'room.ended', callId },
  'room.path': { v: 1, type: 'room.path', callId, path: 'sfu' },
  'room.media': {
    v: 1,
    type: 'room.media',
    callId,
    slot: 1,
    audio: false,
    video: true,
    screen: true,
  },
  'room.carried': { v: 1, type: 'room.carried', callId, slot: 1 },
  'room.speaker': { v: 1, type: 'room.speaker', callId, slot: 1 },
  'room.share': { v: 1, type: 'room.share', callId, slot: 2, share },
  'room.key': { v: 1, type: 'room.key', callId, key: wrapped },
  'room.key_ack': { v: 1, type: 'room.key_ack', callId, slot: 2, generation: 1, epoch: 3 },
  'room.router': { v: 1, type: 'room.router', re: 'r5', rtpCapabilities: { codecs: [] } },
  'room.transports': { v: 1, type: 'room.transports', re: 'r6', send: transport, recv: transport },
  'room.produced': { v: 1, type: 'room.produced', re: 'r8', producerId: sfuId },
  'room.consumer': {
    v: 1,
    type: 'room.consumer',
    callId,
    transportId: sfuId,
    consumerId: sfuId,
    producerId: sfuId,
    slot: 1,
    kind: 'video',
    source: 'screen',
    rtpParameters,
  },
  'room.consumer_closed': { v: 1, type: 'room.consumer_closed', callId, consumerId: sfuId },
  'room.ice': { v: 1, type: 'room.ice', re: 'r14', iceParameters: transport.iceParameters },
  'room.sfu_lost': { v: 1, type: 'room.sfu_lost', callId },
  'room.link': { v: 1, type: 'room.link', re: 'r15', callId, token, approval: false },
  'room.preview': {
    v: 1,
    type: 'room.preview',
    re: 'r17',
    callId,
    media: 'audio',
    creator: alice,
    members: 3,
    approval: true,
  },
  'room.knock': { v: 1, type: 'room.knock', callId, user: { username: 'dave', displayName: 'D' } },
  'room.knock_refused': { v: 1, type: 'room.knock_refused', callId },
};
