import * as z from 'zod';
import './zodMessages';
import { ErrorCode } from './errors';
import { IdentityChain, KeyShare } from './identity';
import { message, notice, UserSummary } from './messageShape';
import {
  GroupCallLog,
  LiveGroupCall,
  roomClientMessages,
  roomReplyTypes,
  roomServerMessages,
} from './roomMessages';
import {
  CallId,
  CallMedia,
  DeviceId,
  DeviceName,
  DisplayName,
  IdentityKey,
  LinkCode,
  Nonce,
  Presence,
  RequestId,
  IceUrl,
  Sdp,
  Seq,
  SessionId,
  Signature,
  StoredDeviceName,
  StoredDisplayName,
  StreamId,
  Username,
} from './primitives';

/** Every signaling message, one schema each (shaped as protocol/messageShape.ts says). */
const Contact = z.strictObject({
  username: Username,
  displayName: StoredDisplayName,
  presence: Presence,
  identityKey: IdentityKey, // the account's root identity key, for safety numbers and pinning
});
const DeviceInfo = z.strictObject({
  deviceId: DeviceId,
  deviceName: StoredDeviceName,
  identityKey: IdentityKey,
  createdAt: z.number().int(),
  online: z.boolean(),
  current: z.boolean(),
});
const IceCandidate = z.strictObject({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
  usernameFragment: z.string().max(256).nullable(),
});

/** How a call ended, as stored in the call log (one value per call, the same for both sides). */
/** `failed`: the call could not go ahead (see CallFailure); it has no duration. */
export const CallOutcome = z.enum([
  'answered',
  'missed',
  'declined',
  'busy',
  'cancelled',
  'failed',
]);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** Most contacts in one `contacts` page: even at the longest names a page stays within 64 KiB. */
export const CONTACTS_PAGE_MAX = 100;
/** Contacts in a page when `contacts.list` names no `limit`. */
export const CONTACTS_PAGE_DEFAULT = 100;

const CallLogEntry = z.strictObject({
  callId: CallId,
  direction: z.enum(['outgoing', 'incoming']),
  peer: UserSummary,
  media: CallMedia,
  outcome: CallOutcome,
  startedAt: z.number().int(),
  answeredAt: z.number().int().nullable(),
  endedAt: z.number().int(),
  durationMs: z.number().int().min(0),
  /**
   * How many calls this entry stands for: 1, or more when repeated unanswered calls from one
   * caller were merged into one entry of the callee's log (the entry is the latest of them).
   */
  count: z.number().int().min(1),
  /** A group call (only on a connection that negotiated `rooms`): the others in it. */
  group: GroupCallLog.optional(),
});

/** One STUN or TURN server, in the shape of WebRTC's RTCIceServer. */
const IceServer = z.strictObject({
  urls: z.array(IceUrl).min(1).max(8),
  username: z.string().min(1).max(256).optional(),
  credential: z.string().min(1).max(256).optional(),
});
/**
 * The STUN and TURN servers a device may use, with the moment their TURN credentials expire
 * (null when nothing expires, e.g. a server without TURN). Empty `servers` means: connect
 * directly or not at all.
 */
export const IceConfig = z.strictObject({
  servers: z.array(IceServer).max(8),
  expiresAt: z.number().int().nullable(),
});
export type IceConfig = z.infer<typeof IceConfig>;

/** Where a session's notice streams stand: which of the client's notices the server has. */
const StreamState = z.strictObject({
  id: StreamId,
  /** True when this continues the stream the client named in `session.resume`. */
  resumed: z.boolean(),
  /** The last client notice `seq` the server processed in this stream (0: none). */
  received: z.number().int().min(0),
});

/** A call this device takes part in that has not ended, as the server knows it. */
const LiveCall = z.strictObject({
  callId: CallId,
  peer: UserSummary,
  media: CallMedia,
  role: z.enum(['caller', 'callee']),
  state: z.enum(['ringing', 'accepted']),
  answeredAt: z.number().int().nullable(),
  /** A call that speaks `room.*` (a group call, or a 1:1 call that grew): slot and path. */
  group: LiveGroupCall.optional(),
});
export type LiveCall = z.infer<typeof LiveCall>;

// ---- session ----------------------------------------------------------------------------

export const Hello = message('hello', { id: RequestId, client: z.string().min(1).max(64) });
export const AuthChallenge = message('auth.challenge', {
  re: RequestId,
  nonce: Nonce,
  expiresAt: z.number().int(),
});
export const AuthRegister = message('auth.register', {
  id: RequestId,
  username: Username,
  displayName: DisplayName,
  deviceName: DeviceName,
  identityKey: IdentityKey,
  nonce: Nonce,
  signature: Signature,
});
export const AuthLogin = message('auth.login', {
  id: RequestId,
  username: Username,
  deviceId: DeviceId,
  nonce: Nonce,
  signature: Signature,
});
export const SessionResume = message('session.resume', {
  id: RequestId,
  sessionId: SessionId,
  nonce: Nonce,
  signature: Signature,
  /** The stream to continue, and the last server notice `seq` the client processed in it. */
  stream: z.strictObject({ id: StreamId, received: z.number().int().min(0) }).optional(),
});
export const SessionEnd = message('session.end', { id: RequestId });
export const Session = message('session', {
  re: RequestId,
  sessionId: SessionId,
  expiresAt: z.number().int(),
  user: UserSummary,
  deviceId: DeviceId,
  ice: IceConfig,
  stream: StreamState,
  calls: z.array(LiveCall).max(16),
});
/** Fresh STUN/TURN servers and credentials, pushed before the previous ones expire. */
export const IceServers = notice('ice.servers', { ice: IceConfig });
/** Acknowledges every notice of the other side's stream up to and including `seq`. */
export const Ack = message('ack', { seq: Seq });
/** Keep-alive: the server answers `ok` at once; a client uses it to notice a dead connection. */
export const Ping = message('ping', { id: RequestId });

// ---- people ----------------------------------------------------------------------------

export const UserLookup = message('user.lookup', { id: RequestId, username: Username });
export const User = message('user', {
  re: RequestId,
  username: Username,
  displayName: StoredDisplayName,
  presence: Presence,
  identityKey: IdentityKey,
});
/** One page of the contact list, by username: those after `after`, at most `limit`. */
export const ContactsList = message('contacts.list', {
  id: RequestId,
  after: Username.optional(),
  limit: z.number().int().min(1).max(CONTACTS_PAGE_MAX).optional(),
});
export const ContactsAdd = message('contacts.add', { id: RequestId, username: Username });
export const Contacts = message('contacts', {
  re: RequestId,
  contacts: z.array(Contact).max(CONTACTS_PAGE_MAX),
  /** The `after` of the next page (this page's last username), or null: no more contacts. */
  next: Username.nullable(),
});
/**
 * Changes the account's display name, under the same rules as `auth.register`. Those who have
 * the account as a contact are pushed `contact.renamed`.
 */
export const ProfileUpdate = message('profile.update', { id: RequestId, displayName: DisplayName });
/** Takes a user off the contact list (one way, as `contacts.add` put them on it). */
export const ContactsRemove = message('contacts.remove', { id: RequestId, username: Username });
/** The reply to `contacts.add`: the contact added (or already there). */
export const ContactReply = message('contact', { re: RequestId, contact: Contact });
export const PresenceUpdate = notice('presence', { username: Username, presence: Presence });
/** A contact changed their display name (`profile.update`): pushed to those who have them. */
export const ContactRenamed = notice('contact.renamed', {
  username: Username,
  displayName: StoredDisplayName,
});
/** Most users one account may block (`blocks_full` beyond); the whole list fits one reply. */
export const MAX_BLOCKED_USERS = 1000;
export const BlocksList = message('blocks.list', { id: RequestId });
/** Blocks a user: their calls do not ring and they are not told your presence. */
export const BlocksAdd = message('blocks.add', { id: RequestId, username: Username });
export const BlocksRemove = message('blocks.remove', { id: RequestId, username: Username });
/** The users the account has blocked, by username: the reply to every `blocks.*` request. */
export const Blocks = message('blocks', {
  re: RequestId,
  usernames: z.array(Username).max(MAX_BLOCKED_USERS),
});

// ---- calls -----------------------------------------------------------------------------

export const CallInviteRequest = message('call.invite', {
  id: RequestId,
  callId: CallId,
  to: Username,
  media: CallMedia,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallInviteNotice = notice('call.invite', {
  callId: CallId,
  from: UserSummary.extend({ deviceId: DeviceId, identity: IdentityChain }),
  media: CallMedia,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallRinging = notice('call.ringing', { callId: CallId });
export const CallAcceptRequest = notice('call.accept', {
  callId: CallId,
  media: CallMedia,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallAcceptNotice = notice('call.accept', {
  callId: CallId,
  media: CallMedia,
  sdp: Sdp,
  deviceId: DeviceId,
  identity: IdentityChain,
  keyShare: KeyShare,
});
/**
 * Why a call could not go ahead although nobody chose to end it: the callee's microphone or
 * camera was refused by the browser or OS (`_denied`) or is missing or busy (`_unavailable`), or
 * one side could not verify the other's keys (`identity_failed`).
 */
export const CallFailure = z.enum([
  'microphone_denied',
  'microphone_unavailable',
  'camera_denied',
  'camera_unavailable',
  'identity_failed',
]);
export type CallFailure = z.infer<typeof CallFailure>;
/** A decline says why when the callee could not answer; without `reason` it was the user's. */
export const CallDecline = notice('call.decline', {
  callId: CallId,
  reason: CallFailure.optional(),
});
export const CallBusy = notice('call.busy', { callId: CallId });
export const CallCancelRequest = notice('call.cancel', { callId: CallId });
export const CallCancelNotice = notice('call.cancel', {
  callId: CallId,
  reason: z.enum(['cancelled', 'answered_elsewhere']),
});
export const CallTimeout = notice('call.timeout', { callId: CallId });
/** A hang-up says why when the call could not go on (`reason`); without it the user hung up. */
export const CallHangupRequest = notice('call.hangup', {
  callId: CallId,
  reason: CallFailure.optional(),
});
export const CallHangupNotice = notice('call.hangup', {
  callId: CallId,
  reason: z.union([z.enum(['hangup', 'connection_lost']), CallFailure]),
});
export const CallIce = notice('call.ice', { callId: CallId, candidate: IceCandidate.nullable() });
/**
 * `call.ice` as the server sends it: a candidate of a callee device that pre-connects while the
 * call rings names that device, so the caller knows whose connection it belongs to.
 */
export const CallIceNotice = notice('call.ice', {
  callId: CallId,
  candidate: IceCandidate.nullable(),
  deviceId: DeviceId.optional(),
});
/**
 * A ringing callee device answers the invite's offer before its user accepts, so the call
 * connects (ICE, DTLS) while it rings; no media flows until `call.accept`. The server relays it
 * to the caller only, adding the sender's device and identity chain, as for `call.accept`.
 */
export const CallPreconnectRequest = notice('call.preconnect', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallPreconnectNotice = notice('call.preconnect', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
  deviceId: DeviceId,
  identity: IdentityChain,
});
/**
 * The caller's connection took this ringing device's early answer: that device (and no other)
 * may now connect. The server relays it to the device named, as `{ callId }`.
 */
export const CallPreconnectedRequest = notice('call.preconnected', {
  callId: CallId,
  deviceId: DeviceId,
});
export const CallPreconnectedNotice = notice('call.preconnected', { callId: CallId });
export const CallMediaState = notice('call.media', {
  callId: CallId,
  audio: z.boolean(),
  video: z.boolean(),
});

/** Asks the other party to move its sending key to a new epoch (relayed as is). */
export const CallRekey = notice('call.rekey', { callId: CallId });

/**
 * A new offer (or its answer) on the call's existing peer connection, relayed unchanged: ICE
 * restarts. The DTLS fingerprint must stay the one the peer's key share signed.
 */
export const CallOffer = notice('call.offer', { callId: CallId, sdp: Sdp });
export const CallAnswer = notice('call.answer', { callId: CallId, sdp: Sdp });
/** Asks the peer that made the connection's offer to restart ICE (relayed unchanged). */
export const CallRestart = notice('call.restart', { callId: CallId });
/** How the sender's own network looks to it now, so the peer can say whose link is poor. */
export const CallQuality = notice('call.quality', { callId: CallId, poor: z.boolean() });
/**
 * A party that lost its peer connection (page reload, app restart) comes back into an accepted
 * call with a new offer and a new key share; the other party answers with `call.rejoined`. The
 * server adds the sender's device and identity chain, as for `call.invite` and `call.accept`.
 */
export const CallRejoinRequest = notice('call.rejoin', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallRejoinNotice = notice('call.rejoin', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
  deviceId: DeviceId,
  identity: IdentityChain,
});
export const CallRejoinedRequest = notice('call.rejoined', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
});
export const CallRejoinedNotice = notice('call.rejoined', {
  callId: CallId,
  sdp: Sdp,
  keyShare: KeyShare,
  deviceId: DeviceId,
  identity: IdentityChain,
});

/**
 * The 1:1 call messages a client may send (docs/protocol.md, "Calls"); the call log's own are
 * `calllog.*`, not among them. The server's call handlers are exactly these.
 */
export const callClientMessages = [
  CallInviteRequest,
  CallRinging,
  CallAcceptRequest,
  CallPreconnectRequest,
  CallPreconnectedRequest,
  CallDecline,
  CallCancelRequest,
  CallHangupRequest,
  CallIce,
  CallMediaState,
  CallRekey,
  CallOffer,
  CallAnswer,
  CallRestart,
  CallQuality,
  CallRejoinRequest,
  CallRejoinedRequest,
] as const;
export type CallClientMessage = z.infer<(typeof callClientMessages)[number]>;

/** The 1:1 call messages the server may send: all are notices, answering no request. */
export const callServerMessages = [
  CallInviteNotice,
  CallRinging,
  CallAcceptNotice,
  CallPreconnectNotice,
  CallPreconnectedNotice,
  CallDecline,
  CallBusy,
  CallCancelNotice,
  CallTimeout,
  CallHangupNotice,
  CallIceNotice,
  CallMediaState,
  CallRekey,
  CallOffer,
  CallAnswer,
  CallRestart,
  CallQuality,
  CallRejoinNotice,
  CallRejoinedNotice,
] as const;
export type CallServerMessage = z.infer<(typeof callServerMessages)[number]>;

export const CallLogList = message('calllog.list', {
  id: RequestId,
  limit: z.number().int().min(1).max(500).optional(),
});
export const CallLog = message('calllog', { re: RequestId, entries: z.array(CallLogEntry) });
/** Removes one entry from the asking user's log only (the other party keeps theirs); reply `ok`. */
export const CallLogDelete = message('calllog.delete', { id: RequestId, callId: CallId });
/** Removes every entry of the asking user's log (ended calls only); reply `ok`. */
export const CallLogClear = message('calllog.clear', { id: RequestId });
/** Another device of this user removed entries from the log: list it again. */
export const CallLogChanged = notice('calllog.changed', {});

// ---- linked devices ----------------------------------------------------------------------

export const LinkRequest = message('link.request', {
  id: RequestId,
  deviceName: DeviceName,
  identityKey: IdentityKey,
  nonce: Nonce,
  signature: Signature,
});
export const LinkCodeReply = message('link.code', {
  re: RequestId,
  code: LinkCode,
  expiresAt: z.number().int(),
});
export const LinkLookup = message('link.lookup', { id: RequestId, code: LinkCode });
export const LinkPending = message('link.pending', {
  re: RequestId,
  code: LinkCode,
  deviceName: StoredDeviceName,
  identityKey: IdentityKey,
  expiresAt: z.number().int(),
});
export const LinkApprove = message('link.approve', {
  id: RequestId,
  code: LinkCode,
  signature: Signature,
});
export const LinkReject = message('link.reject', { id: RequestId, code: LinkCode });
export const LinkApproved = notice('link.approved', {
  code: LinkCode,
  sessionId: SessionId,
  expiresAt: z.number().int(),
  user: UserSummary,
  deviceId: DeviceId,
  ice: IceConfig,
  stream: StreamState,
  calls: z.array(LiveCall).max(16),
});
export const LinkRejected = notice('link.rejected', {
  code: LinkCode,
  reason: z.enum(['rejected', 'expired']),
});
export const DevicesList = message('devices.list', { id: RequestId });
export const DevicesRemove = message('devices.remove', { id: RequestId, deviceId: DeviceId });
/**
 * Signs this device out for good: the server removes it from the account, as `devices.remove`
 * does for another device. The account's only device must say `lastDevice: true`.
 */
export const DevicesLeave = message('devices.leave', {
  id: RequestId,
  lastDevice: z.literal(true).optional(),
});
export const Devices = message('devices', {
  re: RequestId,
  devices: z.array(DeviceInfo).max(64),
});
export const SessionRevoked = notice('session.revoked', { reason: z.enum(['device_removed']) });

// ---- replies -----------------------------------------------------------------------------

export const Ok = message('ok', { re: RequestId });
export const ErrorMessage = message('error', {
  re: RequestId.nullable(),
  code: ErrorCode,
  message: z.string().max(512),
  callId: CallId.optional(),
  /** For limits that lift with time: how long to wait before trying again, in milliseconds. */
  retryAfterMs: z.number().int().min(0).max(86_400_000).optional(),
});

/** Everything a client may send to the server. */
export const ClientMessage = z.discriminatedUnion('type', [
  Hello,
  AuthRegister,
  AuthLogin,
  SessionResume,
  SessionEnd,
  Ack,
  Ping,
  UserLookup,
  ContactsList,
  ContactsAdd,
  ContactsRemove,
  ProfileUpdate,
  BlocksList,
  BlocksAdd,
  BlocksRemove,
  ...callClientMessages,
  CallLogList,
  CallLogDelete,
  CallLogClear,
  LinkRequest,
  LinkLookup,
  LinkApprove,
  LinkReject,
  DevicesList,
  DevicesRemove,
  DevicesLeave,
  ...roomClientMessages,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Everything the server may send to a client. */
export const ServerMessage = z.discriminatedUnion('type', [
  AuthChallenge,
  Session,
  IceServers,
  Ack,
  User,
  Contacts,
  ContactReply,
  PresenceUpdate,
  ContactRenamed,
  Blocks,
  ...callServerMessages,
  CallLog,
  CallLogChanged,
  LinkCodeReply,
  LinkPending,
  LinkApproved,
  LinkRejected,
  Devices,
  SessionRevoked,
  Ok,
  ErrorMessage,
  ...roomServerMessages,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export type ClientMessageType = ClientMessage['type'];
export type ServerMessageType = ServerMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

/** The message names each side handles; both dispatch tables are checked against these. */
export const clientMessageTypes = ClientMessage.options.map(
  (o) => o.shape.type.value,
) as ClientMessageType[];
export const serverMessageTypes = ServerMessage.options.map(
  (o) => o.shape.type.value,
) as ServerMessageType[];

/** Requests that the server answers with exactly one reply carrying `re`. */
export const replyTypes = {
  hello: 'auth.challenge',
  'auth.register': 'session',
  'auth.login': 'session',
  'session.resume': 'session',
  'session.end': 'ok',
  ping: 'ok',
  'user.lookup': 'user',
  'contacts.list': 'contacts',
  'contacts.add': 'contact',
  'contacts.remove': 'ok',
  'profile.update': 'ok',
  'blocks.list': 'blocks',
  'blocks.add': 'blocks',
  'blocks.remove': 'blocks',
  'call.invite': 'ok',
  'calllog.list': 'calllog',
  'calllog.delete': 'ok',
  'calllog.clear': 'ok',
  'link.request': 'link.code',
  'link.lookup': 'link.pending',
  'link.approve': 'devices',
  'link.reject': 'ok',
  'devices.list': 'devices',
  'devices.remove': 'devices',
  'devices.leave': 'ok',
  ...roomReplyTypes,
} as const satisfies Partial<Record<ClientMessageType, ServerMessageType>>;
export type RequestType = keyof typeof replyTypes;
