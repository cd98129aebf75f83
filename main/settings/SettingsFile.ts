import { join } from 'node:path';
import { DesktopSettings } from '../../protocol/ipc';
import { readJsonFile } from '../files/readJsonFile';
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
    const content = await readJsonFile(this.path, DesktopSettings);
    if (content.kind === 'missing') return null;
    if (content.kind === 'invalid') {
      this.warn(`settings: ${this.path} is ${content.problem}; using the defaults`);
      return null;
    }
    return content.value;
  }

  async write(settings: DesktopSettings): Promise<void> {
    const valid = DesktopSettings.parse(settings);
    await writeFileAtomically(this.path, `${JSON.stringify(valid, null, 2)}\n`);
  }
}
