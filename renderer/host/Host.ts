import type {
  CallKeyShareInput,
  ContactPin,
  LinkCertificateInput,
  MemberKeyShareInput,
  SignedCallKeyShare,
  StoredAccount,
} from '../../protocol';
import type {
  CallStateReport,
  DesktopSettings,
  HostAction,
  MediaAccessStatus,
  MediaInput,
  ShortcutStatus,
} from '../../protocol/ipc';

/** What only the desktop app offers: tray and shortcuts in main. */
export interface DesktopCapabilities {
  /** The OS the app runs on, as Node names it (darwin, win32, linux). */
  readonly platform: string;
  /** The OS setting for the camera or microphone; macOS asks the user if they have not decided. */
  requestMediaAccess(input: MediaInput): Promise<MediaAccessStatus>;
  reportCallState(report: CallStateReport): Promise<void>;
  getSettings(): Promise<DesktopSettings>;
  setSettings(settings: DesktopSettings): Promise<DesktopSettings>;
  getShortcutStatus(): Promise<ShortcutStatus[]>;
  /** Subscribes to actions from main (tray, global shortcuts, deep links); returns unsubscribe. */
  onHostAction(listener: (action: HostAction) => void): () => void;
}

/**
 * What only the web client needs: several tabs of one browser profile share the device, and one
 * at a time uses it.
 */
export interface TabCapabilities {
  /** The account another tab is using, when this tab found none free (`getAccount` gave null). */
  inUseElsewhere(): StoredAccount | null;
  /** "Use here": the tab using the account lets go of it, then this tab holds it. */
  useHere(): Promise<void>;
  /** `leave` runs, and must stop all use of the device, when another tab takes it from this one. */
  whenTakenAway(leave: () => void): void;
  /**
   * The call link this page was opened with (`https://<server>/call/<token>`), once: the token
   * leaves the address bar and the history as it is taken.
   */
  takeCallLink(): string | null;
}

/**
 * Everything the shared renderer needs from where it runs. The desktop host forwards to main over
 * `window.parley` (the private key stays in the OS keychain); the web host uses browser APIs (a
 * non-extractable CryptoKey in IndexedDB). Nothing else in the renderer knows which it is.
 */
export interface Host {
  readonly kind: 'desktop' | 'web';
  /** Shown to the server as this device's name. */
  readonly deviceName: string;
  /** Present in the desktop app only. */
  readonly desktop?: DesktopCapabilities;
  /** Present in the web client only. */
  readonly tabs?: TabCapabilities;
  /** ws: or wss: URL of the signaling endpoint. */
  serverUrl(): Promise<string>;
  getAccount(): Promise<StoredAccount | null>;
  setAccount(account: StoredAccount): Promise<void>;
  clearAccount(): Promise<void>;
  /** Base64 raw Ed25519 public key of this device, or null before one exists. */
  getIdentityPublicKey(): Promise<string | null>;
  /** Creates the device identity key pair and returns its public key. */
  createIdentity(): Promise<string>;
  /**
   * Base64 Ed25519 signature of protocol/auth.ts' register text. The signer names the server
   * origin itself (main on the desktop), so a page cannot get a signature for another server.
   */
  signRegisterChallenge(nonce: string, username: string): Promise<string>;
  /** Base64 Ed25519 signature of protocol/auth.ts' login text. */
  signLoginChallenge(nonce: string, username: string, deviceId: string): Promise<string>;
  /** Base64 Ed25519 signature of protocol/auth.ts' resume text, for one nonce and session. */
  signResumeChallenge(nonce: string, sessionId: string): Promise<string>;
  /**
   * Base64 Ed25519 signature of protocol/identity.ts' call key share text for this device, and
   * the time the signer (main, on the desktop) put into it.
   */
  signCallKeyShare(input: CallKeyShareInput): Promise<SignedCallKeyShare>;
  /**
   * Base64 Ed25519 signature of protocol/identity.ts' member key share text (a group call) for
   * this device, and the time the signer put into it; the same signer and rate as call shares.
   */
  signMemberKeyShare(input: MemberKeyShareInput): Promise<SignedCallKeyShare>;
  /** Base64 Ed25519 signature of protocol/auth.ts' link request text with this device's key. */
  signLinkRequest(nonce: string): Promise<string>;
  /**
   * Base64 Ed25519 signature of protocol/identity.ts' link certificate text, certifying another
   * device's key for this account and one link code. The desktop host's main asks the user first
   * and refuses when they decline.
   */
  signLinkCertificate(input: LinkCertificateInput): Promise<string>;
  /** The contact identity keys this account pinned on this device. */
  getPins(): Promise<ContactPin[]>;
  putPin(pin: ContactPin): Promise<void>;
}
