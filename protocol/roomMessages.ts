import * as z from 'zod';
import './zodMessages';
import { BoundedJsonObject } from './boundedJson';
import { IdentityChain, MemberKeyShare, MemberSlot } from './identity';
import { message, notice, UserSummary } from './messageShape';
import { CallId, CallMedia, DeviceId, RequestId, Username } from './primitives';
import { SenderEpoch, SenderGeneration, WrappedSenderKey } from './roomKeys';

/**
 * The messages of group calls (docs/protocol.md, "Group calls"). A connection sends and receives
 * them only after it negotiated the `rooms` feature, so a client that predates them never sees
 * one. A 1:1 call speaks only `call.*` until a third person is invited into it.
 */
/** Most members one call can ever have at once; a server may set a lower limit. */
export const MAX_ROOM_MEMBERS = 16;
/** Most invitations one call keeps (ringing or ended), so the room state stays inside 64 KiB. */
export const MAX_ROOM_INVITATIONS = 32;

/** How a call's media travels: between the two devices, or through the server's SFU. */
export const RoomPath = z.enum(['p2p', 'sfu']);
export type RoomPath = z.infer<typeof RoomPath>;

/**
 * What a call-log entry of a group call adds (docs/protocol.md, "Call log"): the other people of
 * the call, each once, in the order they came into it; `joined` whether they were in it at some
 * point (rather than only rung). Sent only on connections that negotiated `rooms`.
 */
export const GroupCallPerson = z.strictObject({
  username: Username,
  displayName: UserSummary.shape.displayName,
  joined: z.boolean(),
});
export type GroupCallPerson = z.infer<typeof GroupCallPerson>;
export const GroupCallLog = z.strictObject({
  others: z.array(GroupCallPerson).min(1).max(MAX_ROOM_INVITATIONS),
});
export type GroupCallLog = z.infer<typeof GroupCallLog>;

/** What a live call that speaks `room.*` adds to its `calls` entry: this device's slot, the path. */
export const LiveGroupCall = z.strictObject({ slot: MemberSlot, path: RoomPath });
export type LiveGroupCall = z.infer<typeof LiveGroupCall>;

/** `reconnecting`: the member's connection dropped and its place is kept for the grace period. */
export const MemberState = z.enum(['joined', 'reconnecting']);
export type MemberState = z.infer<typeof MemberState>;

/**
 * A device in the call. `share` is null only for a member of a call that began 1:1 until it has
 * sent its first `room.share` (its call key share names no slot, so it cannot serve the others).
 */
export const RoomMember = z.strictObject({
  slot: MemberSlot,
  user: UserSummary,
  deviceId: DeviceId,
  identity: IdentityChain,
  share: MemberKeyShare.nullable(),
  state: MemberState,
});
export type RoomMember = z.infer<typeof RoomMember>;

export const InvitationState = z.enum([
  'ringing',
  'joined',
  'declined',
  'busy',
  'timeout',
  'cancelled',
]);
export type InvitationState = z.infer<typeof InvitationState>;

/** One invited user: all of their devices ring, as for a 1:1 call, until one joins. */
export const RoomInvitation = z.strictObject({
  user: UserSummary,
  state: InvitationState,
  /** The slot of the member who invited them. */
  invitedBy: MemberSlot,
});
export type RoomInvitation = z.infer<typeof RoomInvitation>;

/**
 * Why a member is no longer in the call; `rejoined`: its device came back without its keys (a
 * reloaded page, a restarted app) and took a new slot (`room.rejoin`).
 */
export const MemberLeftReason = z.enum(['left', 'connection_lost', 'removed', 'rejoined']);
export type MemberLeftReason = z.infer<typeof MemberLeftReason>;

/** What a producer carries; a member has at most one producer of each. */
export const MediaSource = z.enum(['microphone', 'camera', 'screen']);
export type MediaSource = z.infer<typeof MediaSource>;

/** mediasoup's ids of transports, producers and consumers (UUIDs). */
const SfuId = z.uuid();

/** What a client needs to make one mediasoup-client transport (mediasoup's own shapes). */
export const SfuTransport = z.strictObject({
  id: SfuId,
  iceParameters: BoundedJsonObject,
  iceCandidates: z.array(BoundedJsonObject).max(16),
  dtlsParameters: BoundedJsonObject,
});
export type SfuTransport = z.infer<typeof SfuTransport>;

// ---- features ---------------------------------------------------------------------------

/**
 * The optional parts of the protocol a connection may use. A client asks for the features it
 * knows; the server answers those it knows too and will use on this connection. A server that
 * predates `features` answers `error` `bad_message`: the client then uses none.
 */
export const Feature = z.enum(['rooms']);
export type Feature = z.infer<typeof Feature>;
/** Most feature names one request may list. */
export const MAX_FEATURES = 16;
export const FeaturesRequest = message('features', {
  id: RequestId,
  /** Any names of up to 32 characters: a newer client may ask for what this server never heard of. */
  features: z.array(z.string().min(1).max(32)).max(MAX_FEATURES),
});
export const FeaturesReply = message('features', {
  re: RequestId,
  features: z.array(Feature).max(MAX_FEATURES),
});

// ---- starting, inviting, joining, leaving -----------------------------------------------

/** A call link's token: 16 random bytes, base64url without padding (22 characters). */
export const CallLinkToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'expected a call link token');

/** Starts a group call with the sender as its first member (slot 0); media goes through the SFU. */
export const RoomCreate = message('room.create', {
  id: RequestId,
  callId: CallId,
  media: CallMedia,
  share: MemberKeyShare,
});
/** Rings all devices of `to` into the call; the sender must be a joined member. */
export const RoomInviteRequest = message('room.invite', {
  id: RequestId,
  callId: CallId,
  to: Username,
});
/**
 * Rings one device of an invited user: `slot` is the place this device gets if it joins, which its
 * member share must name; `members` are those in the call now.
 */
export const RoomInviteNotice = notice('room.invite', {
  callId: CallId,
  from: UserSummary.extend({ deviceId: DeviceId }),
  media: CallMedia,
  slot: MemberSlot,
  path: RoomPath,
  members: z.array(RoomMember).max(MAX_ROOM_MEMBERS),
});
/** An invited device takes its place; the reply is `room`. */
export const RoomJoin = message('room.join', {
  id: RequestId,
  callId: CallId,
  share: MemberKeyShare,
});
/**
 * A member device that lost its keys and media (a reloaded page, a restarted app) comes back: its
 * old slot leaves (`rejoined`), it joins in a new slot with no share yet, and the reply is `room`.
 * Its share for the new slot follows as `room.share`.
 */
export const RoomRejoin = message('room.rejoin', {
  id: RequestId,
  callId: CallId,
});
/** The state of the call as the sender's device now sees it: the reply to create, join and rejoin. */
export const RoomState = message('room', {
  re: RequestId,
  callId: CallId,
  media: CallMedia,
  slot: MemberSlot,
  path: RoomPath,
  members: z.array(RoomMember).max(MAX_ROOM_MEMBERS),
  invitations: z.array(RoomInvitation).max(MAX_ROOM_INVITATIONS),
  /**
   * Present, true, for the device that made the call with `room.create` (whatever its slot now):
   * only it makes, revokes and answers for the call's link.
   */
  creator: z.literal(true).optional(),
  /** The call's working link, to its creator only (a creator back from a rejoin gets it again). */
  link: z.object({ token: CallLinkToken, approval: z.boolean() }).strict().optional(),
});
/** An invited user says no (from any of their devices): every device stops ringing. */
export const RoomDecline = notice('room.decline', { callId: CallId });
/** A ringing device stops ringing: someone else of its user joined, or the invitation ended. */
export const RoomInviteEnded = notice('room.invite_ended', {
  callId: CallId,
  reason: z.enum(['answered_elsewhere', 'declined', 'timeout', 'ended']),
});
/** An invitation's state changed (to the members). */
export const RoomInvitationNotice = notice('room.invitation', {
  callId: CallId,
  invitation: RoomInvitation,
});
export const RoomMemberJoined = notice('room.member_joined', {
  callId: CallId,
  member: RoomMember,
});
/** A member's connection dropped (`reconnecting`) or came back (`joined`). */
export const RoomMemberState = notice('room.member_state', {
  callId: CallId,
  slot: MemberSlot,
  state: MemberState,
});
export const RoomMemberLeft = notice('room.member_left', {
  callId: CallId,
  slot: MemberSlot,
  reason: MemberLeftReason,
});
/** The sender leaves the call; the others go on. */
export const RoomLeave = notice('room.leave', { callId: CallId });
/** The call is over for everyone: it has one member left, or none. */
export const RoomEnded = notice('room.ended', { callId: CallId });
/**
 * The call's media moves to `path`. Clients refuse `sfu` unless three members with verified
 * shares have been in the call (a server must not move a 1:1 call off its DTLS-bound path).
 */
export const RoomPathNotice = notice('room.path', { callId: CallId, path: RoomPath });
/** The sender's microphone, camera and screen share: on or off (relayed naming its slot). */
export const RoomMediaRequest = notice('room.media', {
  callId: CallId,
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean(),
});
export const RoomMediaNotice = notice('room.media', {
  callId: CallId,
  slot: MemberSlot,
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean(),
});
/**
 * A party of a call that grew from 1:1 receives the other party's media through the SFU (its
 * audio, and its video when it sends any, decrypt): the other party may close their 1:1
 * connection once it receives us through the SFU too. Relayed to the other party naming the
 * sender's slot.
 */
export const RoomCarriedRequest = notice('room.carried', { callId: CallId });
export const RoomCarriedNotice = notice('room.carried', { callId: CallId, slot: MemberSlot });
/** The member heard most now (the SFU's active-speaker observer), null when nobody speaks. */
export const RoomSpeaker = notice('room.speaker', { callId: CallId, slot: MemberSlot.nullable() });

// ---- call links ---------------------------------------------------------------------

/** The call's creator makes its link (replacing an earlier one); `approval`: knocks need a yes. */
export const RoomLinkCreate = message('room.link_create', {
  id: RequestId,
  callId: CallId,
  approval: z.boolean(),
});
export const RoomLink = message('room.link', {
  re: RequestId,
  callId: CallId,
  token: CallLinkToken,
  approval: z.boolean(),
});
export const RoomLinkRevoke = message('room.link_revoke', { id: RequestId, callId: CallId });
/** What a link leads to, before joining: the reply is `room.preview`. */
export const RoomLinkOpen = message('room.link_open', { id: RequestId, token: CallLinkToken });
export const RoomPreview = message('room.preview', {
  re: RequestId,
  callId: CallId,
  media: CallMedia,
  creator: UserSummary,
  members: z.number().int().min(0).max(MAX_ROOM_MEMBERS),
  approval: z.boolean(),
});
/**
 * Asks to join through a link. Without approval the sender's device is sent `room.invite` at
 * once; with approval the creator's devices are sent `room.knock` first.
 */
export const RoomLinkJoin = message('room.link_join', { id: RequestId, token: CallLinkToken });
export const RoomKnock = notice('room.knock', { callId: CallId, user: UserSummary });
/** The creator's answer to a knock: yes sends the knocker `room.invite`, no `room.knock_refused`. */
export const RoomAdmit = message('room.admit', {
  id: RequestId,
  callId: CallId,
  username: Username,
  admit: z.boolean(),
});
export const RoomKnockRefused = notice('room.knock_refused', { callId: CallId });

// ---- keys -------------------------------------------------------------------------------

/** A fresh signature over the sender's member share (same ephemeral key); relayed with its slot. */
export const RoomShareRequest = notice('room.share', { callId: CallId, share: MemberKeyShare });
export const RoomShareNotice = notice('room.share', {
  callId: CallId,
  slot: MemberSlot,
  share: MemberKeyShare,
});
/** The sender's key, wrapped for each named member; the server delivers each as `room.key`. */
export const RoomKeys = notice('room.keys', {
  callId: CallId,
  keys: z
    .array(WrappedSenderKey)
    .min(1)
    .max(MAX_ROOM_MEMBERS - 1),
});
export const RoomKey = notice('room.key', { callId: CallId, key: WrappedSenderKey });
/** The sender installed the key of member `slot` at this generation and epoch. */
export const RoomKeyAckRequest = notice('room.key_ack', {
  callId: CallId,
  slot: MemberSlot,
  generation: SenderGeneration,
  epoch: SenderEpoch,
});
/** Relayed to the key's owner: member `slot` installed its key of this generation and epoch. */
export const RoomKeyAckNotice = notice('room.key_ack', {
  callId: CallId,
  slot: MemberSlot,
  generation: SenderGeneration,
  epoch: SenderEpoch,
});

// ---- the SFU ----------------------------------------------------------------------------

export const RoomRouterRequest = message('room.router', { id: RequestId, callId: CallId });
/** The call's router RTP capabilities, for mediasoup-client's `Device.load`. */
export const RoomRouter = message('room.router', {
  re: RequestId,
  rtpCapabilities: BoundedJsonObject,
});
/** Makes the sender's send and receive transports (replacing any it had). */
export const RoomTransportsRequest = message('room.transports', {
  id: RequestId,
  callId: CallId,
  rtpCapabilities: BoundedJsonObject,
});
export const RoomTransports = message('room.transports', {
  re: RequestId,
  send: SfuTransport,
  recv: SfuTransport,
});
export const RoomConnect = message('room.connect', {
  id: RequestId,
  callId: CallId,
  transportId: SfuId,
  dtlsParameters: BoundedJsonObject,
});
export const RoomProduce = message('room.produce', {
  id: RequestId,
  callId: CallId,
  kind: z.enum(['audio', 'video']),
  source: MediaSource,
  rtpParameters: BoundedJsonObject,
});
export const RoomProduced = message('room.produced', { re: RequestId, producerId: SfuId });
/** Stops one of the sender's producers (a screen share ends); its consumers close. */
export const RoomProducerClose = message('room.producer_close', {
  id: RequestId,
  callId: CallId,
  producerId: SfuId,
});
/**
 * A new consumer on the receiver's receive transport (`transportId`), paused until the receiver
 * resumes it.
 */
export const RoomConsumer = notice('room.consumer', {
  callId: CallId,
  transportId: SfuId,
  consumerId: SfuId,
  producerId: SfuId,
  slot: MemberSlot,
  kind: z.enum(['audio', 'video']),
  source: MediaSource,
  rtpParameters: BoundedJsonObject,
});
export const RoomConsumerClosed = notice('room.consumer_closed', {
  callId: CallId,
  consumerId: SfuId,
});
export const RoomPause = message('room.pause', {
  id: RequestId,
  callId: CallId,
  consumerId: SfuId,
});
export const RoomResume = message('room.resume', {
  id: RequestId,
  callId: CallId,
  consumerId: SfuId,
});
/** The simulcast layers the receiver wants of one video consumer (mediasoup's preferred layers). */
export const RoomLayers = message('room.layers', {
  id: RequestId,
  callId: CallId,
  consumerId: SfuId,
  spatialLayer: z.number().int().min(0).max(2),
  temporalLayer: z.number().int().min(0).max(2).optional(),
});
export const RoomKeyFrame = message('room.keyframe', {
  id: RequestId,
  callId: CallId,
  consumerId: SfuId,
});
export const RoomRestartIce = message('room.restart_ice', {
  id: RequestId,
  callId: CallId,
  transportId: SfuId,
});
export const RoomIce = message('room.ice', { re: RequestId, iceParameters: BoundedJsonObject });
/**
 * The SFU lost the call's media (its worker died and was replaced): every member makes its
 * transports again (`room.router`, `room.transports`, produce) and is sent new consumers.
 */
export const RoomSfuLost = notice('room.sfu_lost', { callId: CallId });

/** Group-call messages a client may send. */
export const roomClientMessages = [
  FeaturesRequest,
  RoomCreate,
  RoomInviteRequest,
  RoomJoin,
  RoomRejoin,
  RoomDecline,
  RoomLeave,
  RoomMediaRequest,
  RoomCarriedRequest,
  RoomShareRequest,
  RoomKeys,
  RoomKeyAckRequest,
  RoomRouterRequest,
  RoomTransportsRequest,
  RoomConnect,
  RoomProduce,
  RoomProducerClose,
  RoomPause,
  RoomResume,
  RoomLayers,
  RoomKeyFrame,
  RoomRestartIce,
  RoomLinkCreate,
  RoomLinkRevoke,
  RoomLinkOpen,
  RoomLinkJoin,
  RoomAdmit,
] as const;

/** Group-call messages the server may send. */
export const roomServerMessages = [
  FeaturesReply,
  RoomInviteNotice,
  RoomState,
  RoomInviteEnded,
  RoomInvitationNotice,
  RoomMemberJoined,
  RoomMemberState,
  RoomMemberLeft,
  RoomEnded,
  RoomPathNotice,
  RoomMediaNotice,
  RoomCarriedNotice,
  RoomSpeaker,
  RoomShareNotice,
  RoomKey,
  RoomKeyAckNotice,
  RoomRouter,
  RoomTransports,
  RoomProduced,
  RoomConsumer,
  RoomConsumerClosed,
  RoomIce,
  RoomSfuLost,
  RoomLink,
  RoomPreview,
  RoomKnock,
  RoomKnockRefused,
] as const;

/** Group-call requests and their one reply. */
export const roomReplyTypes = {
  features: 'features',
  'room.create': 'room',
  'room.invite': 'ok',
  'room.join': 'room',
  'room.rejoin': 'room',
  'room.router': 'room.router',
  'room.transports': 'room.transports',
  'room.connect': 'ok',
  'room.produce': 'room.produced',
  'room.producer_close': 'ok',
  'room.pause': 'ok',
  'room.resume': 'ok',
  'room.layers': 'ok',
  'room.keyframe': 'ok',
  'room.restart_ice': 'room.ice',
  'room.link_create': 'room.link',
  'room.link_revoke': 'ok',
  'room.link_open': 'room.preview',
  'room.link_join': 'ok',
  'room.admit': 'ok',
} as const;

export const RoomClientMessage = z.discriminatedUnion('type', roomClientMessages);
export type RoomClientMessage = z.infer<typeof RoomClientMessage>;
export const RoomServerMessage = z.discriminatedUnion('type', roomServerMessages);
export type RoomServerMessage = z.infer<typeof RoomServerMessage>;
