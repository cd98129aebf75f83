import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The production build (jest's globalSetup runs scripts/build.mjs) as it ships.
const dist = join(__dirname, '..', '..', 'dist');
const read = (file: string) => readFileSync(join(dist, file), 'utf8');

// Code only the main window needs: the call engine, the contacts screen, the app's start-up
// error, and the schema library with its messages.
const appOnly = [
  'renegotiation already under way',
  'add-contact-input',
  'Parley could not start',
  'Invalid input',
];

test('the main window carries the call engine, the contacts screen and the schema library', () => {
  const app = read('renderer/app.js');
  expect(appOnly.filter((marker) => !app.includes(marker))).toEqual([]);
});

test.each(['renderer/incoming.js', 'renderer/picker.js'])(
  '%s, a window of a few buttons, carries none of the main window',
  (file) => {
    const bundle = read(file);
    expect(appOnly.filter((marker) => bundle.includes(marker))).toEqual([]);
  },
);

test.each([
  'renderer/app.js',
  'renderer/e2ee-worker.js',
  'renderer/incoming.js',
  'renderer/picker.js',
])('%s is minified and names no source map for browsers to fetch', (file) => {
  const bundle = read(file);
  expect(bundle.includes('sourceMappingURL')).toBe(false);
  // Minified: esbuild's `// renderer/...` source-path comments are gone.
  expect(bundle.match(/^\/\/ (renderer|protocol)\/.*$/m)).toBeNull();
  // The map stays beside it for debugging (never served, never packaged).
  expect(existsSync(join(dist, `${file}.map`))).toBe(true);
});

test.each(['preload/preload.js', 'preload/incomingPreload.js', 'preload/pickerPreload.js'])(
  '%s keeps English reasons for refused arguments (pages see them in the error)',
  (file) => {
    expect(read(file).includes('Invalid input: expected')).toBe(true);
  },
);
