import { chmod, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { ContactPin } from '../../protocol/ipc';
import { Username } from '../../protocol/primitives';
import { readJsonFile } from '../files/readJsonFile';
import { writeFileAtomically } from '../files/writeFileAtomically';

export const MAX_CONTACT_PINS = 10_000;

/** Only the user may list whose keys this device has pinned. */
export const PINS_DIR_MODE = 0o700;

const PinsFileContent = z
  .strictObject({ pins: z.array(ContactPin).max(MAX_CONTACT_PINS) })
  .refine(
    ({ pins }) => new Set(pins.map((pin) => pin.username)).size === pins.length,
    'one pin per username',
  );

/**
 * The contact identity pins of each account on this device, one JSON file per account under
 * `pins/` in the folder of the account's server (main/account/accountScope.ts), replaced atomically on each write. Pins are what makes a changed key
 * visible, so they are never silently lost: a file that cannot be read as pins is moved aside
 * to `<file>.corrupt-<time>` (kept for the user or support to look at), a warning names it, and
 * the account starts again from no pins. Writes are serialized so concurrent puts cannot drop
 * each other's entries.
 */
export class ContactPinFile {
  readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    accountDir: string,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {
    this.dir = join(accountDir, 'pins');
  }

  /** The file of `username`'s pins; the name is a validated username, so it cannot escape. */
  pathFor(username: string): string {
    return join(this.dir, `${Username.parse(username)}.json`);
  }

  read(username: string): Promise<ContactPin[]> {
    return this.exclusive(() => this.load(this.pathFor(username)));
  }

  /** Adds `pin`, or replaces the pin with the same contact username. */
  put(username: string, pin: ContactPin): Promise<void> {
    return this.exclusive(async () => {
      const path = this.pathFor(username);
      const valid = ContactPin.parse(pin);
      const pins = await this.load(path);
      const index = pins.findIndex((existing) => existing.username === valid.username);
      if (index >= 0) pins[index] = valid;
      else if (pins.length >= MAX_CONTACT_PINS) {
        throw new Error(`pins: this device already holds the maximum of ${MAX_CONTACT_PINS} pins`);
      } else pins.push(valid);
      await writeFileAtomically(path, `${JSON.stringify({ pins })}\n`);
      // An older version created the folder 0755: who the user talks to is nobody else's business.
      await chmod(this.dir, PINS_DIR_MODE);
    });
  }

  /** Forgets every account's pins, set-aside corrupt files included (the account is removed). */
  clearAll(): Promise<void> {
    return this.exclusive(() => rm(this.dir, { recursive: true, force: true }));
  }

  private async load(path: string): Promise<ContactPin[]> {
    const content = await readJsonFile(path, PinsFileContent).catch((error: unknown) => {
      throw new Error(`pins: could not read ${path}`, { cause: error });
    });
    if (content.kind === 'missing') return [];
    if (content.kind === 'valid') return content.value.pins;
    const aside = `${path}.corrupt-${new Date().toISOString().replace(/:/g, '-')}`;
    await rename(path, aside);
    this.warn(
      `pins: ${path} does not hold valid contact pins; moved it to ${aside} and started from no pins`,
    );
    return [];
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
