import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { isDebugLockedDown } from '../../../main/security/debugLockdown';

/**
 * Windows are built in modules that need Electron, which does not run here; so this reads how
 * main builds each one. The literal options stay in `new BrowserWindow({...})` on purpose:
 * Electronegativity (test/security) checks them there.
 */
const mainDir = join(__dirname, '../../../main');
const devToolsSetting = '!debugLockedDown()';

interface WindowSite {
  file: string;
  line: number;
  devTools: string | null;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return Promise.resolve(entry.name.endsWith('.ts') ? [path] : []);
    }),
  );
  return nested.flat();
}

function objectProperty(
  object: ts.Expression | undefined,
  name: string,
): ts.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  const property = object.properties.find(
    (candidate): candidate is ts.PropertyAssignment =>
      ts.isPropertyAssignment(candidate) && candidate.name.getText() === name,
  );
  return property?.initializer;
}

/** Every `new BrowserWindow(...)` in main, with the text of its webPreferences.devTools. */
async function windowSites(): Promise<WindowSite[]> {
  const sites: WindowSite[] = [];
  for (const file of await sourceFiles(mainDir)) {
    const text = await readFile(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText() === 'BrowserWindow') {
        const webPreferences = objectProperty(node.arguments?.[0], 'webPreferences');
        sites.push({
          file: relative(mainDir, file),
          line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          devTools: objectProperty(webPreferences, 'devTools')?.getText() ?? null,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

describe('DevTools in the windows main creates', () => {
  it('every window, main, incoming-call and screen picker alike, turns DevTools off when locked down', async () => {
    const sites = await windowSites();
    expect(sites.map((site) => site.file).sort()).toEqual(
      expect.arrayContaining([
        'incoming/IncomingCallWindow.ts',
        'screenShare/ScreenPickerWindow.ts',
        'window/MainWindow.ts',
      ]),
    );
    for (const site of sites) {
      expect(site).toEqual({ ...site, devTools: devToolsSetting });
    }
  });

  it('is locked down in the installed app, so those windows have devTools false there', () => {
    const devToolsWhenInstalled = !isDebugLockedDown(true, process.env);
    expect(devToolsWhenInstalled).toBe(false);
  });

  it('keeps DevTools in a development build', () => {
    expect(!isDebugLockedDown(false, {})).toBe(true);
  });
});
