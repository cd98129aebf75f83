import {
  ConnectionRecovery,
  GIVE_UP_AFTER_MS,
  RESTART_AFTER_DISCONNECTED_MS,
  RESTART_RETRY_MS,
} from '../../../renderer/state/ConnectionRecovery';

function setup() {
  const restarts: number[] = [];
  const gaveUp: boolean[] = [];
  let elapsed = 0;
  const recovery = new ConnectionRecovery({
    restart: () => void restarts.push(elapsed),
    giveUp: (everConnected) => void gaveUp.push(everConnected),
  });
  const advance = (ms: number) => {
    elapsed += ms;
    jest.advanceTimersByTime(ms);
  };
  return { recovery, restarts, gaveUp, advance };
}

describe('ConnectionRecovery', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('a blip shorter than 2 s restarts nothing and shows Reconnecting… only while it lasts', () => {
    const t = setup();
    t.recovery.onConnecting();
    t.recovery.onConnectionState('connected');
    expect(t.recovery.reconnecting.value).toBe(false);
    t.recovery.onConnectionState('disconnected');
    expect(t.recovery.reconnecting.value).toBe(true);
    t.advance(RESTART_AFTER_DISCONNECTED_MS - 1);
    t.recovery.onConnectionState('connected');
    expect(t.recovery.reconnecting.value).toBe(false);
    t.advance(GIVE_UP_AFTER_MS * 2);
    expect(t.restarts).toEqual([]);
    expect(t.gaveUp).toEqual([]);
  });

  test('disconnected for over 2 s restarts ICE, then again every 5 s while still not connected', () => {
    const t = setup();
    t.recovery.onConnectionState('connected');
    t.recovery.onConnectionState('disconnected');
    t.advance(RESTART_AFTER_DISCONNECTED_MS);
    expect(t.restarts).toEqual([RESTART_AFTER_DISCONNECTED_MS]);
    t.advance(RESTART_RETRY_MS);
    expect(t.restarts).toHaveLength(2);
    t.recovery.onConnectionState('connected');
    t.advance(GIVE_UP_AFTER_MS);
    expect(t.restarts).toHaveLength(2);
    expect(t.gaveUp).toEqual([]);
  });

  test('failed restarts at once; a later disconnect starts over with a fresh 30 s', () => {
    const t = setup();
    t.recovery.onConnectionState('connected');
    t.recovery.onConnectionState('failed');
    expect(t.restarts).toEqual([0]);
    expect(t.recovery.reconnecting.value).toBe(true);
    t.advance(20_000);
    t.recovery.onConnectionState('connected');
    t.recovery.onConnectionState('disconnected');
    t.advance(GIVE_UP_AFTER_MS - 1);
    expect(t.gaveUp).toEqual([]);
    t.advance(1);
    expect(t.gaveUp).toEqual([true]);
  });

  test('30 s without a connection gives up once, and stops restarting', () => {
    const t = setup();
    t.recovery.onConnectionState('connected');
    t.recovery.onConnectionState('disconnected');
    t.advance(10_000);
    t.recovery.onConnectionState('failed');
    t.advance(GIVE_UP_AFTER_MS - 10_000 - 1);
    expect(t.gaveUp).toEqual([]);
    t.advance(1);
    expect(t.gaveUp).toEqual([true]);
    expect(t.recovery.reconnecting.value).toBe(false);
    const restarts = t.restarts.length;
    t.advance(GIVE_UP_AFTER_MS);
    expect(t.restarts).toHaveLength(restarts);
    expect(t.gaveUp).toHaveLength(1);
  });

  test('a first connection that never connects gives up after 30 s as never connected, without Reconnecting…', () => {
    const t = setup();
    t.recovery.onConnecting();
    t.recovery.onConnectionState('connecting');
    expect(t.recovery.reconnecting.value).toBe(false);
    t.advance(GIVE_UP_AFTER_MS);
    expect(t.gaveUp).toEqual([false]);
  });

  test('a new connection for a call under way (rejoin) shows Reconnecting… until it connects, and has 30 s', () => {
    const t = setup();
    t.recovery.onNewConnection();
    expect(t.recovery.reconnecting.value).toBe(true);
    t.advance(GIVE_UP_AFTER_MS - 1);
    t.recovery.onConnectionState('connected');
    expect(t.recovery.reconnecting.value).toBe(false);
    t.advance(GIVE_UP_AFTER_MS);
    expect(t.gaveUp).toEqual([]);

    const again = setup();
    again.recovery.onNewConnection();
    again.advance(GIVE_UP_AFTER_MS);
    expect(again.gaveUp).toEqual([true]);
  });

  test('reset (the call ended) cancels every timer', () => {
    const t = setup();
    t.recovery.onConnectionState('connected');
    t.recovery.onConnectionState('disconnected');
    t.recovery.reset();
    expect(t.recovery.reconnecting.value).toBe(false);
    t.advance(GIVE_UP_AFTER_MS * 2);
    expect(t.restarts).toEqual([]);
    expect(t.gaveUp).toEqual([]);
  });
});
