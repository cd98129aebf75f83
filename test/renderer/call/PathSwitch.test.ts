import { PATH_SWITCH_SAFETY_MS, PathSwitch } from '../../../renderer/call/PathSwitch';

/** A switch whose peer-telling and closing are recorded, in order. */
function recordedSwitch(safetyMs?: number) {
  const said: string[] = [];
  const pathSwitch = new PathSwitch({
    tellPeer: () => void said.push('told peer'),
    closeOld: (why) => void said.push(`closed: ${why}`),
    ...(safetyMs === undefined ? {} : { safetyMs }),
  });
  return { said, pathSwitch };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('PathSwitch', () => {
  test('the old path closes once we receive the peer over the new one and the peer receives us', () => {
    const { said, pathSwitch } = recordedSwitch();
    pathSwitch.receivingPeer();
    // The peer is told at once, but may not receive us yet: the old path stays open for it.
    expect(said).toEqual(['told peer']);
    expect(pathSwitch.open).toBe(true);
    jest.advanceTimersByTime(5_000);
    pathSwitch.peerReceivesUs();
    expect(said).toEqual(['told peer', 'closed: carried']);
    expect(pathSwitch.open).toBe(false);
    // Nothing more happens: no second close at the bound.
    jest.advanceTimersByTime(PATH_SWITCH_SAFETY_MS);
    expect(said).toEqual(['told peer', 'closed: carried']);
  });

  test('the peer may say so first: we still close only once we receive it over the new path', () => {
    const { said, pathSwitch } = recordedSwitch();
    pathSwitch.peerReceivesUs();
    jest.advanceTimersByTime(12_000);
    expect(said).toEqual([]);
    expect(pathSwitch.open).toBe(true);
    pathSwitch.receivingPeer();
    expect(said).toEqual(['told peer', 'closed: carried']);
  });

  test('the peer is told once however many times its media is seen', () => {
    const { said, pathSwitch } = recordedSwitch();
    pathSwitch.receivingPeer();
    pathSwitch.receivingPeer();
    expect(said).toEqual(['told peer']);
  });

  test('when the peer never says so, the old path closes at the safety bound, not before', () => {
    const { said, pathSwitch } = recordedSwitch();
    pathSwitch.receivingPeer();
    jest.advanceTimersByTime(PATH_SWITCH_SAFETY_MS - 1);
    expect(said).toEqual(['told peer']);
    jest.advanceTimersByTime(1);
    expect(said).toEqual(['told peer', 'closed: safety_bound']);
    // A late word from the peer changes nothing.
    pathSwitch.peerReceivesUs();
    pathSwitch.receivingPeer();
    expect(said).toEqual(['told peer', 'closed: safety_bound']);
  });

  test('when the new path never carries the peer here, the bound closes the old path anyway, telling nobody', () => {
    const { said, pathSwitch } = recordedSwitch(2_000);
    pathSwitch.peerReceivesUs();
    jest.advanceTimersByTime(2_000);
    expect(said).toEqual(['closed: safety_bound']);
  });

  test('stopped (we left), it neither tells nor closes any more', () => {
    const { said, pathSwitch } = recordedSwitch();
    pathSwitch.stop();
    expect(pathSwitch.open).toBe(false);
    pathSwitch.receivingPeer();
    pathSwitch.peerReceivesUs();
    jest.advanceTimersByTime(PATH_SWITCH_SAFETY_MS * 2);
    expect(said).toEqual([]);
  });
});
