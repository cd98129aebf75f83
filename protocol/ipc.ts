import * as z from 'zod';
import './zodMessages';
import {
  CallId,
  DeviceId,
  StoredDeviceName,
  StoredDisplayName,
  DtlsFingerprint,
  IdentityKey,
  LinkCode,
  Nonce,
  SessionId,
  Signature,
  Username,
  X25519Key,
} from './primitives';
import { KeyShareTime, MemberSlot } from './identity';
import { UserSummary } from './messageShape';
import { CallLinkToken, MAX_ROOM_MEMBERS } from './roomMessages';

/**
 * The desktop IPC surface: one named channel per method of `window.parley`. Each channel has an
 * argument schema (checked in preload and again in main) and a result schema (checked in the
 * renderer's desktop host). Nothing generic crosses: the renderer can never name a channel.
 */
export const StoredAccount = z.strictObject({
  username: Username,
  displayName: StoredDisplayName,
  deviceId: DeviceId,
});
export type StoredAccount = z.infer<typeof StoredAccount>;

export const DesktopConfig = z.strictObject({
  serverUrl: z.string().max(2048), // ws: or wss: URL of the signaling server
  appVersion: z.string().max(64),
  platform: z.string().max(32),
});
export type DesktopConfig = z.infer<typeof DesktopConfig>;

/**
 * What this device remembers of a contact's identity: the root key first seen (trust on first
 * use), whether the user compared safety numbers and marked it verified, and when it changed.
 */
export const ContactPin = z.strictObject({
  username: Username,
  identityKey: IdentityKey,
  verified: z.boolean(),
  firstSeenAt: z.number().int(),
});
export type ContactPin = z.infer<typeof ContactPin>;

export const CallKeyShareInput = z.strictObject({
  role: z.enum(['caller', 'callee']),
  callId: CallId,
  username: Username,
  deviceId: DeviceId,
  ephemeralKey: X25519Key,
  fingerprint: DtlsFingerprint,
});

export type CallKeyShareInput = z.infer<typeof CallKeyShareInput>;

/** A group-call member share to sign (see MemberKeyShare); main adds `signedAt` itself. */
export const MemberKeyShareInput = z.strictObject({
  callId: CallId,
  slot: MemberSlot,
  username: Username,
  deviceId: DeviceId,
  ephemeralKey: X25519Key,
});
export type MemberKeyShareInput = z.infer<typeof MemberKeyShareInput>;

/**
 * A link certificate to sign: the new device as `link.pending` described it. Main shows the user
 * the name and the key's fingerprint and signs only with their consent, once per code.
 */
export const LinkCertificateInput = z.strictObject({
  username: Username,
  identityKey: IdentityKey,
  deviceName: StoredDeviceName,
  code: LinkCode,
  expiresAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type LinkCertificateInput = z.infer<typeof LinkCertificateInput>;
/** Main's answer to a key share: the signature, and the time main put into the signed text. */
export const SignedCallKeyShare = z.strictObject({ signature: Signature, signedAt: KeyShareTime });
export type SignedCallKeyShare = z.infer<typeof SignedCallKeyShare>;

const TrackE2eeState = z.enum(['negotiating', 'encrypted', 'decrypt_failed']);

/**
 * A group call in a report: while it rings here, who is in it now (the one inviting is the
 * report's `peer`); while we are in it, everyone else in it, in the order they came in.
 */
export const RingingGroup = z.strictObject({
  members: z.array(UserSummary).max(MAX_ROOM_MEMBERS),
});
export type RingingGroup = z.infer<typeof RingingGroup>;

/** What the renderer tells main about the call, so the tray, notifications and shortcuts follow. */
export const CallStateReport = z.strictObject({
  phase: z.enum(['idle', 'incoming', 'outgoing', 'in_call']),
  callId: CallId.nullable(),
  peer: z.strictObject({ username: Username, displayName: StoredDisplayName }).nullable(),
  media: z.enum(['audio', 'video']).nullable(),
  muted: z.boolean(),
  /** Set when the phase returns to idle: how the last call ended, from this side. */
  endedAs: z.enum(['answered', 'missed', 'declined', 'other']).nullable(),
  /**
   * In a call: whether the peer's audio and video decrypt, each on its own (video can fail while
   * audio works). Null outside a call.
   */
  e2ee: z.strictObject({ audio: TrackE2eeState, video: TrackE2eeState }).nullable(),
  /**
   * Set for a group call: while it rings (phase `incoming`, `peer` inviting) and while we are in
   * it (phase `in_call`, `peer` the first of the others, null while we are alone); null for a 1:1
   * call.
   */
  group: RingingGroup.nullable(),
});
export type CallStateReport = z.infer<typeof CallStateReport>;

/** Electron accelerators such as `CommandOrControl+Alt+M`; checked for form in main. */
export const Accelerator = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9+]+$/, 'an accelerator like CommandOrControl+Alt+M');
export const ShortcutAction = z.enum(['toggleMute', 'hangUp', 'acceptCall', 'declineCall']);
export type ShortcutAction = z.infer<typeof ShortcutAction>;

export const DesktopSettings = z.strictObject({
  closeToTray: z.boolean(),
  doNotDisturb: z.boolean(),
  shortcuts: z.strictObject({
    toggleMute: Accelerator.nullable(),
    hangUp: Accelerator.nullable(),
    acceptCall: Accelerator.nullable(),
    declineCall: Accelerator.nullable(),
  }),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const ShortcutStatus = z.strictObject({
  action: ShortcutAction,
  accelerator: Accelerator.nullable(),
  registered: z.boolean(),
  /** Why the OS refused it, in words for the settings screen; null when registered or unset. */
  problem: z.string().max(256).nullable(),
});
export type ShortcutStatus = z.infer<typeof ShortcutStatus>;

/** An input whose OS access setting the renderer may read. */
export const MediaInput = z.enum(['camera', 'microphone']);
export type MediaInput = z.infer<typeof MediaInput>;
/**
 * The OS's camera or microphone setting for the app, as Electron's
 * `systemPreferences.getMediaAccessStatus` reports it; `not-applicable` where the OS keeps no such
 * setting (Linux). `asked`: main showed the OS prompt (macOS, while the user had not decided).
 */
export const MediaAccessStatus = z.strictObject({
  input: MediaInput,
  status: z.enum([
    'not-determined',
    'granted',
    'denied',
    'restricted',
    'unknown',
    'not-applicable',
  ]),
  asked: z.boolean(),
});
export type MediaAccessStatus = z.infer<typeof MediaAccessStatus>;

/**
 * Actions main asks the renderer to carry out (tray menu, global shortcuts, deep links). Mute and
 * hang up name the call main was told of: one that is not the renderer's current call (a stale
 * menu, a hostile sender) changes nothing.
 */
export const HostAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('toggleMute'), callId: CallId }),
  z.strictObject({ kind: z.literal('hangUp'), callId: CallId }),
  z.strictObject({ kind: z.literal('acceptCall'), media: z.enum(['audio', 'video']) }),
  z.strictObject({ kind: z.literal('declineCall') }),
  z.strictObject({ kind: z.literal('callUser'), username: Username }),
  z.strictObject({ kind: z.literal('openCallLink'), token: CallLinkToken }),
  z.strictObject({ kind: z.literal('openSettings') }),
]);
export type HostAction = z.infer<typeof HostAction>;
/** The one channel main uses to send HostActions to the renderer. */
export const hostActionChannel = 'host:action';

const none = z.tuple([]);

export const ipcChannels = {
  'config:get': { args: none, result: DesktopConfig },
  'account:get': { args: none, result: StoredAccount.nullable() },
  'account:set': { args: z.tuple([StoredAccount]), result: z.null() },
  'account:clear': { args: none, result: z.null() },
  'identity:public-key': { args: none, result: IdentityKey.nullable() },
  'identity:create': { args: none, result: IdentityKey },
  'identity:sign-register': {
    args: z.tuple([z.strictObject({ nonce: Nonce, username: Username })]),
    result: z.string(),
  },
  'identity:sign-login': {
    args: z.tuple([z.strictObject({ nonce: Nonce, username: Username, deviceId: DeviceId })]),
    result: z.string(),
  },
  'identity:sign-resume': {
    args: z.tuple([z.strictObject({ nonce: Nonce, sessionId: SessionId })]),
    result: z.string(),
  },
  'identity:sign-call-key': {
    args: z.tuple([CallKeyShareInput]),
    result: SignedCallKeyShare,
  },
  'identity:sign-member-key': {
    args: z.tuple([MemberKeyShareInput]),
    result: SignedCallKeyShare,
  },
  'identity:sign-link-request': {
    args: z.tuple([z.strictObject({ nonce: Nonce })]),
    result: z.string(),
  },
  'identity:sign-link-certificate': {
    args: z.tuple([LinkCertificateInput]),
    result: z.string(),
  },
  'pins:get': { args: none, result: z.array(ContactPin).max(10_000) },
  'pins:put': { args: z.tuple([ContactPin]), result: z.null() },
  'call-state:report': { args: z.tuple([CallStateReport]), result: z.null() },
  'settings:get': { args: none, result: DesktopSettings },
  'settings:set': { args: z.tuple([DesktopSettings]), result: DesktopSettings },
  'shortcuts:status': { args: none, result: z.array(ShortcutStatus).max(8) },
  'media-access:request': { args: z.tuple([MediaInput]), result: MediaAccessStatus },
} as const;
export type IpcChannel = keyof typeof ipcChannels;
export type IpcArgs<C extends IpcChannel> = z.infer<(typeof ipcChannels)[C]['args']>;
export type IpcResult<C extends IpcChannel> = z.infer<(typeof ipcChannels)[C]['result']>;

/** The object the preload exposes as `window.parley`. */
export interface ParleyBridge {
  getConfig(): Promise<DesktopConfig>;
  getAccount(): Promise<StoredAccount | null>;
  setAccount(account: StoredAccount): Promise<null>;
  clearAccount(): Promise<null>;
  getIdentityPublicKey(): Promise<string | null>;
  createIdentity(): Promise<string>;
  signRegisterChallenge(input: { nonce: string; username: string }): Promise<string>;
  signLoginChallenge(input: { nonce: string; username: string; deviceId: string }): Promise<string>;
  signResumeChallenge(input: { nonce: string; sessionId: string }): Promise<string>;
  signCallKeyShare(input: CallKeyShareInput): Promise<SignedCallKeyShare>;
  signMemberKeyShare(input: MemberKeyShareInput): Promise<SignedCallKeyShare>;
  signLinkRequest(input: { nonce: string }): Promise<string>;
  signLinkCertificate(input: LinkCertificateInput): Promise<string>;
  getPins(): Promise<ContactPin[]>;
  putPin(pin: ContactPin): Promise<null>;
  reportCallState(report: CallStateReport): Promise<null>;
  getSettings(): Promise<DesktopSettings>;
  setSettings(settings: DesktopSettings): Promise<DesktopSettings>;
  getShortcutStatus(): Promise<ShortcutStatus[]>;
  /** The OS setting for the input; on macOS, asks the user when they have not decided yet. */
  requestMediaAccess(input: MediaInput): Promise<MediaAccessStatus>;
  /** Subscribes to actions from main; returns the unsubscribe function. */
  onHostAction(listener: (action: HostAction) => void): () => void;
}
