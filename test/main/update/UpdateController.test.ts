import {
  CHECK_INTERVAL_MS,
  FIRST_CHECK_DELAY_MS,
  UpdateController,
  type TimerPort,
  type UpdaterPort,
} from '../../../main/update/UpdateController';
import { callReports } from '../desktop/callReports';

/** Timers that fire only when the test moves the clock. */
class ManualTimers implements TimerPort {
  now = 0;
  private pending: { at: number; run: () => void; id: number }[] = [];
  private nextId = 0;

  setTimeout(run: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.pending.push({ at: this.now + ms, run, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle);
  }

  /** Moves the clock, firing each timer that comes due, then lets the promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = this.pending.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.now = due.at;
      due.run();
      await settle();
    }
    this.now = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
}

/** The updater library as the controller sees it: what the feed offers, what was done. */
class FakeUpdater implements UpdaterPort {
  offered: string | null = null;
  checkError: Error | null = null;
  downloadError: Error | null = null;
  checks = 0;
  downloads = 0;
  installs = 0;
  installsOnQuit = false;

  async check(): Promise<{ version: string } | null> {
    this.checks += 1;
    if (this.checkError) throw this.checkError;
    return this.offered ? { version: this.offered } : null;
  }

  async download(): Promise<void> {
    this.downloads += 1;
    if (this.downloadError) throw this.downloadError;
  }

  installNow(): void {
    this.installs += 1;
  }

  installOnQuit(enabled: boolean): void {
    this.installsOnQuit = enabled;
  }
}

/** The user's answer to "Restart to update" / "Later", given when the test says so. */
class FakeUser {
  questions: string[] = [];
  private answer: ((restart: boolean) => void) | null = null;

  ask = (version: string): Promise<boolean> => {
    this.questions.push(version);
    return new Promise((resolve) => (this.answer = resolve));
  };

  async answers(restart: boolean): Promise<void> {
    const answer = this.answer;
    if (!answer) throw new Error('nobody asked');
    this.answer = null;
    answer(restart);
    await settle();
  }
}

function setup(options: { packaged?: boolean; feedConfigured?: boolean } = {}) {
  const timers = new ManualTimers();
  const updater = new FakeUpdater();
  const user = new FakeUser();
  const logged: string[] = [];
  const controller = new UpdateController({
    packaged: options.packaged ?? true,
    feedConfigured: options.feedConfigured ?? true,
    updater,
    askToRestart: user.ask,
    timers,
    log: (message) => logged.push(message),
  });
  return { timers, updater, user, logged, controller };
}

const idle = callReports().ended('answered');

describe('UpdateController', () => {
  describe('when it checks', () => {
    it('checks once shortly after start, then every six hours', async () => {
      const { timers, updater, controller } = setup();
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS - 1);
      expect(updater.checks).toBe(0);
      await timers.advance(1);
      expect(updater.checks).toBe(1);
      await timers.advance(CHECK_INTERVAL_MS - 1);
      expect(updater.checks).toBe(1);
      await timers.advance(1);
      expect(updater.checks).toBe(2);
      await timers.advance(2 * CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(4);
      expect(updater.downloads).toBe(0);
    });

    it('never checks in a build run from the source tree, and says why in the log', async () => {
      const { timers, updater, controller, logged } = setup({ packaged: false });
      controller.start();
      await timers.advance(3 * CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(0);
      expect(controller.enabled).toBe(false);
      expect(logged).toEqual(['updates: not a packaged build, never checking']);
    });

    it('never checks without a configured feed', async () => {
      const { timers, updater, controller, logged } = setup({ feedConfigured: false });
      controller.start();
      await timers.advance(3 * CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(0);
      expect(logged).toEqual(['updates: no update feed configured, never checking']);
    });

    it('stops checking when stopped (the app quits)', async () => {
      const { timers, updater, controller } = setup();
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      controller.stop();
      await timers.advance(3 * CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(1);
    });
  });

  describe('failures', () => {
    it('logs a failed check without asking the user anything and retries at the next interval', async () => {
      const { timers, updater, user, controller, logged } = setup();
      updater.checkError = new Error('update feed refused: latest-linux.yml.sig does not verify');
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      expect(updater.checks).toBe(1);
      expect(user.questions).toEqual([]);
      expect(logged.at(-1)).toBe(
        'updates: check failed, retrying in 6 h: update feed refused: latest-linux.yml.sig does not verify',
      );
      // The feed is fixed: the next interval finds the update.
      updater.checkError = null;
      updater.offered = '0.2.0';
      await timers.advance(CHECK_INTERVAL_MS - 1);
      expect(updater.checks).toBe(1);
      await timers.advance(1);
      expect(updater.checks).toBe(2);
      expect(user.questions).toEqual(['0.2.0']);
    });

    it('logs a refused download (wrong sha512) and retries the whole check next interval', async () => {
      const { timers, updater, user, controller, logged } = setup();
      updater.offered = '0.2.0';
      updater.downloadError = new Error('sha512 checksum mismatch');
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      expect(updater.downloads).toBe(1);
      expect(user.questions).toEqual([]);
      expect(updater.installsOnQuit).toBe(false);
      expect(logged.at(-1)).toContain('sha512 checksum mismatch');
      updater.downloadError = null;
      await timers.advance(CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(2);
      expect(updater.downloads).toBe(2);
      expect(user.questions).toEqual(['0.2.0']);
    });
  });

  describe('installing', () => {
    it('downloads a newer version, asks, and restarts into it when the user agrees', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      expect(updater.downloads).toBe(1);
      expect(user.questions).toEqual(['0.2.0']);
      expect(updater.installs).toBe(0);
      await user.answers(true);
      expect(updater.installs).toBe(1);
    });

    it('"Later" installs on quit, asks nothing more and downloads nothing more', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      await user.answers(false);
      expect(updater.installs).toBe(0);
      expect(updater.installsOnQuit).toBe(true);
      await timers.advance(3 * CHECK_INTERVAL_MS);
      expect(updater.downloads).toBe(1);
      expect(user.questions).toEqual(['0.2.0']);
      expect(updater.installs).toBe(0);
    });

    it('neither checks nor downloads during a call; the check due then runs when the call ends', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      const call = callReports();
      controller.start();
      controller.callStateChanged(call.incoming);
      controller.callStateChanged(call.inCall);
      await timers.advance(FIRST_CHECK_DELAY_MS + CHECK_INTERVAL_MS);
      expect(updater.checks).toBe(0);
      expect(updater.downloads).toBe(0);
      controller.callStateChanged(call.ended('answered'));
      await settle();
      expect(updater.checks).toBe(1);
      expect(user.questions).toEqual(['0.2.0']);
    });

    it('asks only after the call that was on when the download finished', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      const call = callReports();
      let finishDownload: () => void = () => undefined;
      updater.download = () => {
        updater.downloads += 1;
        return new Promise<void>((resolve) => (finishDownload = resolve));
      };
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      controller.callStateChanged(call.outgoing);
      finishDownload();
      await settle();
      expect(user.questions).toEqual([]);
      controller.callStateChanged(call.inCall);
      expect(user.questions).toEqual([]);
      controller.callStateChanged(call.ended('answered'));
      await settle();
      expect(user.questions).toEqual(['0.2.0']);
    });

    it('never restarts into a call: "Restart" given while a call rang in waits for the call to end', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      const call = callReports();
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      expect(user.questions).toEqual(['0.2.0']);
      controller.callStateChanged(call.incoming);
      await user.answers(true);
      expect(updater.installs).toBe(0);
      controller.callStateChanged(call.inCall);
      controller.callStateChanged(call.muted);
      expect(updater.installs).toBe(0);
      controller.callStateChanged(call.ended('answered'));
      expect(updater.installs).toBe(1);
    });

    it('does not restart after a call when the user chose "Later"', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      const call = callReports();
      controller.start();
      await timers.advance(FIRST_CHECK_DELAY_MS);
      controller.callStateChanged(call.outgoing);
      await user.answers(false);
      controller.callStateChanged(call.ended('other'));
      expect(updater.installs).toBe(0);
      expect(updater.installsOnQuit).toBe(true);
      expect(user.questions).toEqual(['0.2.0']);
    });

    it('does not install on quit before the user was asked', async () => {
      const { timers, updater, user, controller } = setup();
      updater.offered = '0.2.0';
      const call = callReports();
      controller.start();
      controller.callStateChanged(call.inCall);
      controller.callStateChanged(idle);
      await timers.advance(FIRST_CHECK_DELAY_MS);
      expect(user.questions).toEqual(['0.2.0']);
      expect(updater.installsOnQuit).toBe(false);
    });
  });
});
