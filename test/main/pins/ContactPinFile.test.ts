import { randomBytes } from 'node:crypto';
import {
  chmod,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContactPinFile, MAX_CONTACT_PINS } from '../../../main/pins/ContactPinFile';
import type { ContactPin } from '../../../protocol/ipc';

function pin(username: string, overrides: Partial<ContactPin> = {}): ContactPin {
  return {
    username,
    identityKey: randomBytes(32).toString('base64'),
    verified: false,
    firstSeenAt: 1_700_000_000_000,
    ...overrides,
  };
}

let userDataDir: string;
let warnings: string[];

function pinFile(): ContactPinFile {
  return new ContactPinFile(userDataDir, (message) => warnings.push(message));
}

beforeEach(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'parley-pins-'));
  warnings = [];
});
afterEach(() => rm(userDataDir, { recursive: true, force: true }));

describe('contact pins file', () => {
  it('keeps pins across a restart of the store', async () => {
    const bob = pin('bob');
    const carol = pin('carol', { verified: true });
    const first = pinFile();
    await first.put('alice', bob);
    await first.put('alice', carol);
    expect(await pinFile().read('alice')).toEqual([bob, carol]);
    expect(warnings).toEqual([]);
  });

  it('replaces the whole file by rename, so a reader never sees a half-written file', async () => {
    const store = pinFile();
    await store.put('alice', pin('bob'));
    const path = store.pathFor('alice');
    const before = await readFile(path, 'utf8');
    const { ino } = await stat(path);
    const reader = await open(path, 'r');
    try {
      await store.put('alice', pin('carol'));
      // The old file is untouched (still complete for anyone holding it); a new one took its name.
      expect(await reader.readFile('utf8')).toBe(before);
      expect((await stat(path)).ino).not.toBe(ino);
    } finally {
      await reader.close();
    }
    expect(await readdir(store.dir)).toEqual(['alice.json']);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('loses no pin when many are put at once', async () => {
    const store = pinFile();
    const pins = Array.from({ length: 50 }, (_, i) => pin(`contact-${i}`));
    await Promise.all(pins.map((p) => store.put('alice', p)));
    expect(await pinFile().read('alice')).toEqual(pins);
  });

  it('keeps accounts apart', async () => {
    const store = pinFile();
    const bob = pin('bob');
    await store.put('alice', bob);
    expect(await store.read('dave')).toEqual([]);
    expect(await store.read('alice')).toEqual([bob]);
  });

  it.each([
    ['garbage bytes', '\u0000\u00ff not json at all'],
    ['truncated JSON', '{"pins":[{"username":"bob"'],
    ['JSON of the wrong shape', '[1,2,3]'],
    ['a pin with a bad key', JSON.stringify({ pins: [{ ...pin('bob'), identityKey: 'x' }] })],
    ['two pins for one contact', JSON.stringify({ pins: [pin('bob'), pin('bob')] })],
  ])('moves a file of %s aside, warns, and starts from no pins', async (_name, content) => {
    const store = pinFile();
    const path = store.pathFor('alice');
    await mkdir(store.dir, { recursive: true });
    await writeFile(path, content);

    expect(await store.read('alice')).toEqual([]);
    const names = await readdir(store.dir);
    expect(names).toHaveLength(1);
    const [aside] = names as [string];
    expect(aside).toMatch(/^alice\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    expect(await readFile(join(store.dir, aside), 'utf8')).toBe(content);
    expect(warnings).toEqual([
      `pins: ${path} does not hold valid contact pins; moved it to ${join(store.dir, aside)} and started from no pins`,
    ]);

    // Pinning works again, and the set-aside file stays for the user to recover.
    const carol = pin('carol');
    await store.put('alice', carol);
    expect(await pinFile().read('alice')).toEqual([carol]);
    expect((await readdir(store.dir)).sort()).toEqual(['alice.json', aside]);
  });

  it('fails clearly, moving nothing, when the file cannot be read at all', async () => {
    const store = pinFile();
    await mkdir(store.pathFor('alice'), { recursive: true }); // a folder where the file should be
    await expect(store.read('alice')).rejects.toThrow(
      `pins: could not read ${store.pathFor('alice')}`,
    );
    expect(await readdir(store.dir)).toEqual(['alice.json']);
    expect(warnings).toEqual([]);
  });

  it(`holds at most ${MAX_CONTACT_PINS} pins, still letting existing ones change`, async () => {
    const store = pinFile();
    const pins = Array.from({ length: MAX_CONTACT_PINS }, (_, i) => pin(`contact-${i}`));
    await mkdir(store.dir, { recursive: true });
    await writeFile(store.pathFor('alice'), JSON.stringify({ pins }));

    const before = await readFile(store.pathFor('alice'), 'utf8');
    await expect(store.put('alice', pin('one-too-many'))).rejects.toThrow(
      `pins: this device already holds the maximum of ${MAX_CONTACT_PINS} pins`,
    );
    expect(await readFile(store.pathFor('alice'), 'utf8')).toBe(before);

    const verified = { ...(pins[0] as ContactPin), verified: true };
    await store.put('alice', verified);
    const after = await pinFile().read('alice');
    expect(after).toHaveLength(MAX_CONTACT_PINS);
    expect(after[0]).toEqual(verified);
  });

  it('refuses an account name that could leave the pins folder', async () => {
    const store = pinFile();
    await expect(store.put('../account', pin('bob'))).rejects.toThrow('username');
    await expect(store.read('a/b/c')).rejects.toThrow('username');
    expect(await readdir(userDataDir)).toEqual([]);
  });

  it('forgets every account, set-aside files included, on clearAll', async () => {
    const store = pinFile();
    await store.put('alice', pin('bob'));
    await store.put('dave', pin('carol'));
    await writeFile(`${store.pathFor('alice')}.corrupt-2025-01-01T00-00-00.000Z`, 'old');
    await store.clearAll();
    expect(await readdir(userDataDir)).toEqual([]);
    expect(await store.read('alice')).toEqual([]);
  });
});

describe('file modes, under the common umask 022', () => {
  let savedUmask: number;
  beforeEach(() => {
    savedUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(savedUmask);
  });

  it('keeps the pins folder 0700 and each pins file 0600', async () => {
    const pins = pinFile();
    await pins.put('alice', pin('bob'));
    expect((await stat(pins.dir)).mode & 0o777).toBe(0o700);
    expect((await stat(pins.pathFor('alice'))).mode & 0o777).toBe(0o600);
  });

  it('narrows a pins folder an older version left readable to all', async () => {
    const pins = pinFile();
    await mkdir(pins.dir);
    await chmod(pins.dir, 0o755);
    await pins.put('alice', pin('bob'));
    expect((await stat(pins.dir)).mode & 0o777).toBe(0o700);
  });
});
