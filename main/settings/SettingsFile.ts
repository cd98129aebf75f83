import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DesktopSettings } from '../../protocol/ipc';
import { writeFileAtomically } from '../files/writeFileAtomically';

/**
 * The desktop settings as JSON in the user data folder, replaced atomically on each write. A
 * missing file means first run; an unreadable one is reported and read as "none", so a damaged
 * file costs the user their settings but never the app's start.
 */
export class SettingsFile {
  readonly path: string;

  constructor(
    userDataDir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.path = join(userDataDir, 'settings.json');
  }

  async read(): Promise<DesktopSettings | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.warn(`settings: ${this.path} is not valid JSON; using the defaults`);
      return null;
    }
    const parsed = DesktopSettings.safeParse(json);
    if (!parsed.success) {
      this.warn(`settings: ${this.path} does not hold valid settings; using the defaults`);
      return null;
    }
    return parsed.data;
  }

  async write(settings: DesktopSettings): Promise<void> {
    const valid = DesktopSettings.parse(settings);
    await writeFileAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
  }
}
