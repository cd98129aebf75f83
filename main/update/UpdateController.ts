import type { CallStateReport } from '../../protocol/ipc';

/** The first check waits this long after start, so it does not compete with the app starting. */
export const FIRST_CHECK_DELAY_MS = 30_000;
/** Then the feed is asked again this often; a failed check simply waits for the next one. */
export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** The updater library, reduced to what the decisions need (main/update/electronUpdater.ts). */
export interface UpdaterPort {
  /** Asks the feed; the newer version it offers, or null. Rejects when the feed cannot be trusted or reached. */
  check(): Promise<{ version: string } | null>;
  /** Downloads the version the last check found; rejects when its sha512 (or signature) does not match. */
  download(): Promise<void>;
  /** Quits the app and runs the downloaded installer, which starts the new version. */
  installNow(): void;
  /** Whether quitting the app installs the downloaded update. */
  installOnQuit(enabled: boolean): void;
}

/** The question main asks once an update is ready: true for "Restart to update", false for "Later". */
export type AskToRestart = (version: string) => Promise<boolean>;

export interface TimerPort {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpdateControllerOptions {
  /** False for a build run from the source tree (`app.isPackaged`): it never checks. */
  packaged: boolean;
  /** False when resources/app-update.yml has no usable feed: it never checks. */
  feedConfigured: boolean;
  updater: UpdaterPort;
  askToRestart: AskToRestart;
  timers: TimerPort;
  log(message: string): void;
}

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'downloaded'; version: string }
  | { kind: 'asking'; version: string }
  /** The user chose "Restart to update" while a call was on: restart when it ends. */
  | { kind: 'restartAfterCall'; version: string }
  /** The user chose "Later": the update installs when the app quits. */
  | { kind: 'onQuit'; version: string };

/** A ringing, dialling or connected call: no download, no question, no restart. */
function inCall(report: CallStateReport): boolean {
  return report.phase !== 'idle';
}

/**
 * When to check for an update, when to install it and what the user sees. Checks shortly after
 * start and then every CHECK_INTERVAL_MS; downloads in the background; once an update is ready
 * it asks "Restart to update" or "Later", never during a call and never by restarting a call
 * away. Failures (offline, feed refused, bad download) are only logged and retried at the next
 * interval: an update check is never worth an alarming dialog.
 */
export class UpdateController {
  private state: State = { kind: 'idle' };
  private callOn = false;
  /** A check came due during a call: it runs when the call ends. */
  private checkDue = false;
  private timer: unknown = null;
  private stopped = false;

  constructor(private readonly options: UpdateControllerOptions) {}

  /** True when this build checks for updates at all. */
  get enabled(): boolean {
    return this.options.packaged && this.options.feedConfigured;
  }

  start(): void {
    if (!this.options.packaged) {
      this.options.log('updates: not a packaged build, never checking');
      return;
    }
    if (!this.options.feedConfigured) {
      this.options.log('updates: no update feed configured, never checking');
      return;
    }
    this.schedule(FIRST_CHECK_DELAY_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Every call-state report the renderer sends main. */
  callStateChanged(report: CallStateReport): void {
    const wasOn = this.callOn;
    this.callOn = inCall(report);
    if (!wasOn || this.callOn || this.stopped) return;
    // The call ended: whatever waited for it goes on now.
    if (this.state.kind === 'restartAfterCall') {
      this.install(this.state.version);
    } else if (this.state.kind === 'downloaded') {
      void this.ask(this.state.version);
    } else if (this.checkDue) {
      this.checkDue = false;
      void this.cycle();
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      this.schedule(CHECK_INTERVAL_MS);
      if (this.callOn) this.checkDue = true;
      else void this.cycle();
    }, delayMs);
  }

  /** One check, and the download when it finds a newer version. */
  private async cycle(): Promise<void> {
    // A check still running, or an update already waiting for the user or for the quit.
    if (this.state.kind !== 'idle') return;
    this.state = { kind: 'busy' };
    const { updater, log } = this.options;
    try {
      const found = await updater.check();
      if (!found) {
        log('updates: up to date');
        this.state = { kind: 'idle' };
        return;
      }
      log(`updates: version ${found.version} found, downloading`);
      await updater.download();
      log(`updates: version ${found.version} downloaded`);
      this.state = { kind: 'downloaded', version: found.version };
      if (!this.callOn && !this.stopped) await this.ask(found.version);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`updates: check failed, retrying in ${CHECK_INTERVAL_MS / 3_600_000} h: ${reason}`);
      this.state = { kind: 'idle' };
    }
  }

  private async ask(version: string): Promise<void> {
    this.state = { kind: 'asking', version };
    let restart: boolean;
    try {
      restart = await this.options.askToRestart(version);
    } catch (error) {
      this.options.log(`updates: could not ask about ${version}: ${String(error)}`);
      restart = false;
    }
    if (!restart) {
      this.options.log(`updates: ${version} installs when the app quits`);
      this.state = { kind: 'onQuit', version };
      this.options.updater.installOnQuit(true);
      return;
    }
    // A call may have started while the question was open: it is never cut off.
    if (this.callOn) {
      this.options.log(`updates: restarting for ${version} when the call ends`);
      this.state = { kind: 'restartAfterCall', version };
      this.options.updater.installOnQuit(true);
      return;
    }
    this.install(version);
  }

  private install(version: string): void {
    this.options.log(`updates: restarting to install ${version}`);
    this.state = { kind: 'onQuit', version };
    this.options.updater.installOnQuit(true);
    this.options.updater.installNow();
  }
}
