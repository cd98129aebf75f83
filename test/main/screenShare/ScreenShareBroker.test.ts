import {
  SCREEN_SHARE_TIMEOUT_MS,
  ScreenShareBroker,
  type CapturerSource,
  type DisplayMediaAnswer,
  type DisplayMediaRequest,
  type PickerWindowPort,
} from '../../../main/screenShare/ScreenShareBroker';
import { ManualTimers } from './manualTimers';

const APP_WEB_CONTENTS_ID = 7;
const INCOMING_WEB_CONTENTS_ID = 8;

const source = (id: string, name: string): CapturerSource => ({
  id,
  name,
  thumbnail: { toDataURL: () => `data:image/png;base64,${Buffer.from(name).toString('base64')}` },
});
const sources = [source('screen:0:0', 'Entire screen'), source('window:42:0', 'Editor')];

/** Main's picker window as the broker sees it: what happened to it, and the user's close box. */
class FakePickerWindow implements PickerWindowPort {
  readonly events: string[] = [];
  /** The `closed` callback of every window opened, oldest first. */
  readonly closedCallbacks: (() => void)[] = [];
  private closedByUser: (() => void) | null = null;

  get isOpen(): boolean {
    return this.closedByUser !== null;
  }

  open(closed: () => void): void {
    this.events.push('open');
    this.closedByUser = closed;
    this.closedCallbacks.push(closed);
  }

  close(): void {
    if (!this.closedByUser) return;
    this.events.push('close');
    this.closedByUser = null;
  }

  /** The user closes the window: Electron destroys it, then reports it closed. */
  userCloses(): void {
    const closed = this.closedByUser;
    this.close();
    closed?.();
  }
}

function setup(platform: NodeJS.Platform = 'linux') {
  const timers = new ManualTimers();
  const log: string[] = [];
  const picker = new FakePickerWindow();
  const requested: { types: string[] }[] = [];
  const broker = new ScreenShareBroker(
    {
      getSources: async (options) => {
        requested.push(options);
        return sources;
      },
    },
    timers,
    platform,
    () => appWindow.id,
    picker,
    (m: string) => log.push(m),
  );
  const appWindow: { id: number | null } = { id: APP_WEB_CONTENTS_ID };
  const answers: DisplayMediaAnswer[] = [];
  /** A getDisplayMedia from the app window's main frame after a click, unless overridden. */
  const ask = (overrides: Partial<DisplayMediaRequest> = {}) =>
    broker.request(
      {
        webContentsId: APP_WEB_CONTENTS_ID,
        securityOrigin: 'app://parley',
        isMainFrame: true,
        userGesture: true,
        ...overrides,
      },
      (a) => answers.push(a),
    );
  return { broker, timers, log, answers, ask, requested, appWindow, picker };
}

describe('ScreenShareBroker', () => {
  it("lists screens and windows with thumbnails for main's picker window", async () => {
    const { broker, requested, ask } = setup();
    ask();
    expect(await broker.sources()).toEqual([
      {
        id: 'screen:0:0',
        name: 'Entire screen',
        kind: 'screen',
        thumbnail: expect.stringMatching(/^data:image\/png;base64,/),
      },
      {
        id: 'window:42:0',
        name: 'Editor',
        kind: 'window',
        thumbnail: expect.stringMatching(/^data:image\/png;base64,/),
      },
    ]);
    expect(requested).toEqual([
      { types: ['screen', 'window'], thumbnailSize: { width: 320, height: 180 } },
    ]);
  });

  it('grants the chosen source, without system audio outside Windows', async () => {
    const { broker, ask, answers, timers } = setup('linux');
    ask();
    await broker.sources();
    broker.choose({ sourceId: 'window:42:0', audio: true });
    expect(answers).toEqual([{ kind: 'grant', source: sources[1], systemAudio: false }]);
    expect(timers.pending).toBe(0);
    expect(broker.hasPendingRequest()).toBe(false);
  });

  it('adds loopback system audio on Windows when asked', async () => {
    const { broker, ask, answers } = setup('win32');
    ask();
    await broker.sources();
    broker.choose({ sourceId: 'screen:0:0', audio: true });
    expect(answers).toEqual([{ kind: 'grant', source: sources[0], systemAudio: true }]);
  });

  it('denies when the user cancels', () => {
    const { broker, ask, answers } = setup();
    ask();
    broker.choose({ sourceId: null, audio: false });
    expect(answers).toEqual([{ kind: 'deny', reason: 'the user cancelled' }]);
  });

  it('denies a request nobody answers within a minute', () => {
    const { ask, answers, timers, broker } = setup();
    ask();
    timers.advance(SCREEN_SHARE_TIMEOUT_MS - 1);
    expect(answers).toEqual([]);
    timers.advance(1);
    expect(answers).toEqual([{ kind: 'deny', reason: 'no source was chosen in time' }]);
    expect(() => broker.choose({ sourceId: null, audio: false })).toThrow(
      'screen share refused: no screen-share request is waiting',
    );
  });

  it.each([
    ['another origin', 'https://evil.example', true],
    ['a look-alike origin', 'app://parley.evil', true],
    ['a subframe of the app', 'app://parley', false],
    ['a file: page', 'file:///tmp/x.html', true],
  ])('refuses a request from %s at once', (_name, securityOrigin, isMainFrame) => {
    const { ask, answers, broker, timers } = setup();
    ask({ securityOrigin, isMainFrame });
    expect(answers).toEqual([{ kind: 'deny', reason: 'not the app origin' }]);
    expect(broker.hasPendingRequest()).toBe(false);
    expect(timers.pending).toBe(0);
  });

  it.each([
    [
      'the incoming-call window',
      { webContentsId: INCOMING_WEB_CONTENTS_ID },
      'not the Parley window',
    ],
    ['a page whose frame is gone', { webContentsId: null }, 'not the Parley window'],
    ['the app window without a click or key press', { userGesture: false }, 'no user gesture'],
  ])(
    'refuses a request from %s, opens no picker and lists no sources',
    async (_name, overrides, reason) => {
      const { ask, answers, broker, requested, picker } = setup();
      ask(overrides);
      expect(answers).toEqual([{ kind: 'deny', reason }]);
      expect(broker.hasPendingRequest()).toBe(false);
      expect(picker.events).toEqual([]);
      await expect(broker.sources()).rejects.toThrow(
        'screen share refused: no screen-share request is waiting',
      );
      expect(requested).toEqual([]);
    },
  );

  it('refuses every request while the main window does not exist', () => {
    const { ask, answers, appWindow } = setup();
    appWindow.id = null;
    ask();
    expect(answers).toEqual([{ kind: 'deny', reason: 'not the Parley window' }]);
  });

  it('lists no sources when no request is waiting, and never asks the OS for them', async () => {
    const { broker, requested } = setup();
    await expect(broker.sources()).rejects.toThrow(
      'screen share refused: no screen-share request is waiting',
    );
    expect(requested).toEqual([]);
  });

  it('opens the picker window when it accepts a request and closes it once a source is chosen', async () => {
    const { broker, ask, picker } = setup();
    ask();
    expect(picker.events).toEqual(['open']);
    await broker.sources();
    broker.choose({ sourceId: 'screen:0:0', audio: false });
    expect(picker.events).toEqual(['open', 'close']);
  });

  it.each([
    [
      'the user cancels',
      (t: ReturnType<typeof setup>) => t.broker.choose({ sourceId: null, audio: false }),
    ],
    ['a minute passes', (t: ReturnType<typeof setup>) => t.timers.advance(SCREEN_SHARE_TIMEOUT_MS)],
  ])('closes the picker window when %s', (_name, settle) => {
    const t = setup();
    t.ask();
    settle(t);
    expect(t.picker.events).toEqual(['open', 'close']);
    expect(t.answers).toEqual([{ kind: 'deny', reason: expect.any(String) }]);
  });

  it('denies the request when the user closes the picker window', () => {
    const { ask, answers, broker, picker, timers } = setup();
    ask();
    picker.userCloses();
    expect(answers).toEqual([{ kind: 'deny', reason: 'the picker was closed' }]);
    expect(broker.hasPendingRequest()).toBe(false);
    expect(timers.pending).toBe(0);
  });

  it("opens a fresh picker for a newer request, and the old window's closing leaves it waiting", () => {
    const { ask, answers, broker, picker } = setup();
    ask();
    ask();
    expect(picker.events).toEqual(['open', 'close', 'open']);
    // Electron reports the old window closed only after the new one was opened.
    picker.closedCallbacks[0]!();
    expect(answers).toEqual([{ kind: 'deny', reason: 'replaced by a newer request' }]);
    expect(broker.hasPendingRequest()).toBe(true);
  });

  it('lists the sources once per request', async () => {
    const { broker, ask, requested } = setup();
    ask();
    await broker.sources();
    await expect(broker.sources()).rejects.toThrow(
      'screen share refused: the sources were already listed for this request',
    );
    expect(requested).toHaveLength(1);
    expect(broker.hasPendingRequest()).toBe(true);
  });

  it('answers one choice per request and refuses a second', async () => {
    const { broker, ask, answers } = setup();
    ask();
    await broker.sources();
    broker.choose({ sourceId: 'window:42:0', audio: false });
    expect(() => broker.choose({ sourceId: 'screen:0:0', audio: false })).toThrow(
      'screen share refused: no screen-share request is waiting',
    );
    expect(answers).toEqual([{ kind: 'grant', source: sources[1], systemAudio: false }]);
    await expect(broker.sources()).rejects.toThrow('no screen-share request is waiting');
  });

  it('refuses a source chosen before the sources were listed for this request', async () => {
    const { broker, ask, answers } = setup();
    ask();
    await broker.sources();
    ask();
    expect(() => broker.choose({ sourceId: 'screen:0:0', audio: false })).toThrow(
      'screen share refused: that source was not offered',
    );
    expect(answers).toEqual([{ kind: 'deny', reason: 'replaced by a newer request' }]);
    expect(broker.hasPendingRequest()).toBe(true);
  });

  it('gives no sources for a request that ended while they were being listed', async () => {
    const { broker, ask } = setup();
    ask();
    const listing = broker.sources();
    broker.choose({ sourceId: null, audio: false });
    await expect(listing).rejects.toThrow(
      'screen share refused: the screen-share request ended while listing',
    );
  });

  it('keeps the waiting request and its picker when a refused request arrives', () => {
    const { broker, ask, answers, picker } = setup();
    ask();
    ask({ userGesture: false });
    expect(answers).toEqual([{ kind: 'deny', reason: 'no user gesture' }]);
    expect(broker.hasPendingRequest()).toBe(true);
    expect(picker.events).toEqual(['open']);
  });

  it('refuses a source that was not offered and keeps the request waiting', async () => {
    const { broker, ask, answers } = setup();
    ask();
    await broker.sources();
    expect(() => broker.choose({ sourceId: 'window:999:0', audio: false })).toThrow(
      'screen share refused: that source was not offered',
    );
    expect(answers).toEqual([]);
    expect(broker.hasPendingRequest()).toBe(true);
  });

  it('denies the older request when a newer one arrives', () => {
    const { ask, answers, broker } = setup();
    ask();
    ask();
    expect(answers).toEqual([{ kind: 'deny', reason: 'replaced by a newer request' }]);
    expect(broker.hasPendingRequest()).toBe(true);
  });
});
