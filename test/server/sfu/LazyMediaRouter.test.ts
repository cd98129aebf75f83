import { LazyMediaRouter } from '../../../server/sfu/LazyMediaRouter';
import type { CallMediaEvents, MediaRouter } from '../../../server/sfu/MediaRouter';
import { FakeMediaRouter } from '../support/FakeMediaRouter';

const events: CallMediaEvents = {
  consumer: () => {},
  consumerClosed: () => {},
  speaker: () => {},
  lost: () => {},
};

test('the SFU starts on the first call that needs it, once', async () => {
  const starts: FakeMediaRouter[] = [];
  const lazy = new LazyMediaRouter(() => {
    const router = new FakeMediaRouter();
    starts.push(router);
    return Promise.resolve(router);
  });
  expect(starts).toHaveLength(0);
  await Promise.all([lazy.openCall('a', events), lazy.openCall('b', events)]);
  expect(starts).toHaveLength(1);
  expect([...starts[0]!.calls.keys()]).toEqual(['a', 'b']);
  lazy.close();
  await expect(lazy.openCall('c', events)).rejects.toThrow('shut down');
});

test('a start that fails fails that call only; the next call starts it again', async () => {
  let attempts = 0;
  const lazy = new LazyMediaRouter((): Promise<MediaRouter> => {
    attempts += 1;
    return attempts === 1
      ? Promise.reject(new Error('no worker binary'))
      : Promise.resolve(new FakeMediaRouter());
  });
  await expect(lazy.openCall('a', events)).rejects.toThrow('no worker binary');
  await expect(lazy.openCall('a', events)).resolves.toBeDefined();
  expect(attempts).toBe(2);
  lazy.close();
});
