import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

// The main window's chunks (scripts/build.mjs splits it); their names carry a content hash.
const chunks = readdirSync(join(dist, 'renderer', 'chunks'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => `renderer/chunks/${name}`);
const sfuPathChunks = chunks.filter((file) => file.startsWith('renderer/chunks/SfuPath-'));
// mediasoup-client's own words: its Device, and the check it makes of a transport's direction.
const mediasoupClient = ['createSendTransport', 'not a sending Transport'];

test('the main window loads mediasoup-client only with the SFU path, as a chunk of its own', () => {
  expect(sfuPathChunks).toHaveLength(1);
  const sfuPath = read(sfuPathChunks[0]!);
  expect(mediasoupClient.filter((marker) => !sfuPath.includes(marker))).toEqual([]);
  // app.js and the chunks it imports statically: what every window open parses.
  const app = read('renderer/app.js');
  const firstLoad = [app, ...chunks.filter((file) => file !== sfuPathChunks[0]).map(read)];
  for (const code of firstLoad) {
    expect(mediasoupClient.filter((marker) => code.includes(marker))).toEqual([]);
  }
  // Imported on demand, beside app.js: the same origin the CSP allows (script-src 'self').
  const chunkName = sfuPathChunks[0]!.slice('renderer/'.length);
  expect(app).toContain(`import("./${chunkName}")`);
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
  ...chunks,
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
