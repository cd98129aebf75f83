import {
  SCREEN_SHARE_TIMEOUT_MS,
  ScreenShareBroker,
  type CapturerSource,
  type DisplayMediaAnswer,
  type TimerPort,
} from '../../../main/screenShare/ScreenShareBroker';

/** A clock the test moves by hand. */
class ManualTimers implements TimerPort {
  private now = 0;
  private timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.now) {
        this.timers.delete(id);
        timer.run();
      }
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

const source = (id: string, name: string): CapturerSource => ({
  id,
  name,
  thumbnail: { toDataURL: () => `data:image/png;base64,${Buffer.from(name).toString('base64')}` },
});
const sources = [source('screen:0:0', 'Entire screen'), source('window:42:0', 'Editor')];

function setup(platform: NodeJS.Platform = 'linux') {
  const timers = new ManualTimers();
  const log: string[] = [];
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
    (m) => log.push(m),
  );
  const answers: DisplayMediaAnswer[] = [];
  const ask = (securityOrigin = 'app://parley', isMainFrame = true) =>
    broker.request({ securityOrigin, isMainFrame }, (a) => answers.push(a));
  return { broker, timers, log, answers, ask, requested };
}

describe('ScreenShareBroker', () => {
  it('lists screens and windows with thumbnails for the app picker', async () => {
    const { broker, requested } = setup();
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
  ])('refuses a request from %s at once', (_name, origin, isMainFrame) => {
    const { ask, answers, broker, timers } = setup();
    ask(origin, isMainFrame);
    expect(answers).toEqual([{ kind: 'deny', reason: 'not the app origin' }]);
    expect(broker.hasPendingRequest()).toBe(false);
    expect(timers.pending).toBe(0);
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
