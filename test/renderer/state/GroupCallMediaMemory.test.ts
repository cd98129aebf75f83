import {
  GroupCallMediaMemory,
  groupCallMediaStorage,
} from '../../../renderer/state/GroupCallMediaMemory';

function storage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('GroupCallMediaMemory', () => {
  test('keeps the switches of one call, the newest, until forgotten', () => {
    const kept = storage();
    const memory = new GroupCallMediaMemory(kept);
    memory.remember('call-1', { audio: false, video: true });
    expect(new GroupCallMediaMemory(kept).recall('call-1')).toEqual({ audio: false, video: true });
    memory.remember('call-2', { audio: true, video: false });
    expect(memory.recall('call-1')).toBeNull();
    expect(memory.recall('call-2')).toEqual({ audio: true, video: false });
    memory.forget();
    expect(memory.recall('call-2')).toBeNull();
    expect(kept.items.size).toBe(0);
  });

  test.each([
    ['not JSON', '{'],
    ['not an object', '"call-1"'],
    ['a switch that is no boolean', '{"callId":"call-1","audio":"no","video":true}'],
    ['a switch missing', '{"callId":"call-1","audio":false}'],
  ])('what it cannot read (%s) counts as nothing kept', (_what, value) => {
    const memory = new GroupCallMediaMemory(storage({ 'parley.group-call-media': value }));
    expect(memory.recall('call-1')).toBeNull();
  });
});

test('the desktop app keeps them where an app restart finds them; a web tab only for its own reloads', () => {
  const local = storage();
  const session = storage();
  new GroupCallMediaMemory(groupCallMediaStorage('desktop', { local, session })).remember('c', {
    audio: false,
    video: false,
  });
  expect(local.items.size).toBe(1);
  expect(session.items.size).toBe(0);
  // The restarted app's window has a new session storage; its local storage still has them.
  const restarted = { local, session: storage() };
  const memory = new GroupCallMediaMemory(groupCallMediaStorage('desktop', restarted));
  expect(memory.recall('c')).toEqual({ audio: false, video: false });

  new GroupCallMediaMemory(groupCallMediaStorage('web', { local, session })).remember('w', {
    audio: true,
    video: false,
  });
  expect(session.items.size).toBe(1);
  expect(new GroupCallMediaMemory(local).recall('w')).toBeNull();
});
