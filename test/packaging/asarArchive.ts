import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './electronBuilder';

const run = promisify(execFile);

export interface AsarEntry {
  /** Path inside the archive, without a leading slash, '/' separated. */
  path: string;
  /** True for a folder, false for a file or link. */
  directory: boolean;
  /** True when the file is kept in app.asar.unpacked beside the archive. */
  unpacked: boolean;
}

export interface AsarArchive {
  entries: AsarEntry[];
  /** The text of each file asked for by `readTexts`. */
  texts: Record<string, string>;
}

// @electron/asar is an ES module, which jest's CommonJS runtime cannot load: read it in plain Node.
const readerScript = `
import { extractFile, listPackage, statFile } from '@electron/asar';
const [archive, ...texts] = process.argv.slice(1);
const entries = listPackage(archive, { isPack: false }).map((entry) => {
  const path = entry.replace(/^[\\\\/]/, '').split('\\\\').join('/');
  const stat = statFile(archive, path);
  return {
    path,
    directory: 'files' in stat,
    unpacked: 'unpacked' in stat && stat.unpacked === true,
  };
});
const read = Object.fromEntries(texts.map((path) => [path, extractFile(archive, path).toString('utf8')]));
process.stdout.write(JSON.stringify({ entries, texts: read }));
`;

/** Opens `archivePath` with @electron/asar: every entry, and the text of the files named. */
export async function readAsarArchive(
  archivePath: string,
  readTexts: string[] = [],
): Promise<AsarArchive> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', readerScript, archivePath, ...readTexts],
    { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as AsarArchive;
}
