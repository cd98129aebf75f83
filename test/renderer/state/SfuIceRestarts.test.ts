import {
  SFU_ICE_RESTART_LIMIT,
  SFU_RESTART_AFTER_DISCONNECTED_MS,
  SFU_RESTART_FIRST_WAIT_MS,
  SfuIceRestarts,
} from '../../../renderer/state/SfuIceRestarts';

function setup(options: { refuse?: boolean } = {}) {
  const restarts: [number, string][] = [];
  const gaveUp: number[] = [];
  let elapsed = 0;
  const recovery = new SfuIceRestarts({
    restart: async (transportId) => {
      restarts.push([elapsed, transportId]);
      if (options.refuse) throw new Error('call_state');
    },
    giveUp: () => void gaveUp.push(elapsed),
  });
  // In 1 s steps, so each restart is stamped with the second it happened in.
  const advance = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1_000) {
      const step = Math.min(left, 1_000);
      elapsed += step;
      await jest.advanceTimersByTimeAsync(step);
    }
  };
  return { recovery, restarts, gaveUp, advance };
}

describe('SfuIceRestarts', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a transport back within 2 s of a disconnect restarts nothing', async () => {
    const t = setup();
    t.recovery.onTransportState('recv', 'connected');
    t.recovery.onTransportState('recv', 'disconnected');
    await t.advance(SFU_RESTART_AFTER_DISCONNECTED_MS - 1);
    t.recovery.onTransportState('recv', 'connected');
    await t.advance(60_000);
    expect(t.restarts).toEqual([]);
    expect(t.gaveUp).toEqual([]);
  });

  test('disconnected for 2 s restarts that transport only, then after 2, 4 and 8 s while it stays down, then gives up once', async () => {
    const t = setup();
    t.recovery.onTransportState('send', 'connected');
    t.recovery.onTransportState('recv', 'connected');
    t.recovery.onTransportState('recv', 'disconnected');
    await t.advance(SFU_RESTART_AFTER_DISCONNECTED_MS);
    expect(t.restarts).toEqual([[2_000, 'recv']]);
    // A restart that ends in `failed` is not hurried: its wait is the backoff.
    t.recovery.onTransportState('recv', 'failed');
    expect(t.restarts).toHaveLength(1);
    await t.advance(120_000);
    expect(SFU_ICE_RESTART_LIMIT).toBe(4);
    expect(SFU_RESTART_FIRST_WAIT_MS).toBe(2_000);
    expect(t.restarts).toEqual([
      [2_000, 'recv'],
      [4_000, 'recv'],
      [8_000, 'recv'],
      [16_000, 'recv'],
    ]);
    expect(t.gaveUp).toEqual([32_000]);
  });

  test('failed restarts at once; connected starts the count over for the next loss', async () => {
    const t = setup();
    t.recovery.onTransportState('send', 'failed');
    expect(t.restarts).toEqual([[0, 'send']]);
    await t.advance(1_000);
    t.recovery.onTransportState('send', 'connected');
    await t.advance(60_000);
    expect(t.restarts).toHaveLength(1);

    t.recovery.onTransportState('send', 'failed');
    expect(t.restarts.at(-1)).toEqual([61_000, 'send']);
    await t.advance(SFU_RESTART_FIRST_WAIT_MS);
    expect(t.restarts.at(-1)).toEqual([63_000, 'send']);
    t.recovery.onTransportState('send', 'connected');
    await t.advance(60_000);
    expect(t.restarts).toHaveLength(3);
    expect(t.gaveUp).toEqual([]);
  });

  test('refused restarts still count: the next comes after its wait, and the limit holds', async () => {
    const t = setup({ refuse: true });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      t.recovery.onTransportState('recv', 'failed');
      await t.advance(120_000);
      expect(t.restarts.map(([at]) => at)).toEqual([0, 2_000, 6_000, 14_000]);
      expect(t.gaveUp).toEqual([30_000]);
      expect(warn).toHaveBeenCalledTimes(4);
    } finally {
      warn.mockRestore();
    }
  });

  test('once stopped (the path closed) nothing restarts', async () => {
    const t = setup();
    t.recovery.onTransportState('recv', 'disconnected');
    t.recovery.stop();
    t.recovery.onTransportState('send', 'failed');
    await t.advance(120_000);
    expect(t.restarts).toEqual([]);
    expect(t.gaveUp).toEqual([]);
  });
});
