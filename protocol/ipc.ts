import { z } from 'zod';
import {
  CallId,
  DeviceId,
  DisplayName,
  DtlsFingerprint,
  IdentityKey,
  Nonce,
  SessionToken,
  Username,
  X25519Key,
} from './primitives';

/**
 * The desktop IPC surface: one named channel per method of `window.parley`. Each channel has an
 * argument schema (checked in preload and again in main) and a result schema (checked in the
 * renderer's desktop host). Nothing generic crosses: the renderer can never name a channel.
 */
export const StoredAccount = z.strictObject({
  username: Username,
  displayName: DisplayName,
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
  'identity:sign-call-key': { args: z.tuple([CallKeyShareInput]), result: z.string() },
  'identity:sign-link-request': {
    args: z.tuple([z.strictObject({ nonce: Nonce })]),
    result: z.string(),
  },
  'identity:sign-link-certificate': {
    args: z.tuple([z.strictObject({ username: Username, identityKey: IdentityKey })]),
    result: z.string(),
  },
  'pins:get': { args: none, result: z.array(ContactPin).max(10_000) },
  'pins:put': { args: z.tuple([ContactPin]), result: z.null() },
  'session:get-token': { args: none, result: SessionToken.nullable() },
  'session:set-token': { args: z.tuple([SessionToken.nullable()]), result: z.null() },
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
  signCallKeyShare(input: CallKeyShareInput): Promise<string>;
  signLinkRequest(input: { nonce: string }): Promise<string>;
  signLinkCertificate(input: { username: string; identityKey: string }): Promise<string>;
  getPins(): Promise<ContactPin[]>;
  putPin(pin: ContactPin): Promise<null>;
  getSessionToken(): Promise<string | null>;
  setSessionToken(token: string | null): Promise<null>;
}
