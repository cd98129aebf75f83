import { join } from 'node:path';
import { resolveAppFile } from '../../../main/appProtocol/resolveAppFile';

const root = '/opt/parley/dist/renderer';

describe('app:// file resolution', () => {
  it('serves index.html at the root and bundle files with their types', () => {
    expect(resolveAppFile('app://parley/', root)).toEqual({
      kind: 'file',
      path: join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppFile('app://parley/app.js?v=1#x', root)).toMatchObject({
      path: join(root, 'app.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    // The main window's chunks (the SFU path's among them) load from a folder beside app.js.
    expect(resolveAppFile('app://parley/chunks/SfuPath-5QO4SZMQ.js', root)).toMatchObject({
      path: join(root, 'chunks/SfuPath-5QO4SZMQ.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppFile('app://parley/assets/icon.svg', root)).toMatchObject({
      path: join(root, 'assets/icon.svg'),
      contentType: 'image/svg+xml',
    });
  });

  it.each([
    'app://parley/../../../etc/passwd.js',
    'app://parley/%2e%2e/%2e%2e/main/main.js',
    'app://parley/assets/..%2f..%2f..%2fserver%2fmain.js',
    'app://parley/assets/%2e%2e%2f%2e%2e%2fmain.js',
  ])('never resolves %s outside the renderer folder', (url) => {
    const resolution = resolveAppFile(url, root);
    const inside = resolution.kind === 'refused' || resolution.path.startsWith(`${root}/`);
    expect(inside).toBe(true);
  });

  it('refuses a decoded path that climbs out of the folder', () => {
    expect(resolveAppFile('app://parley/assets/%2e%2e%2f%2e%2e%2fmain.js', root)).toEqual({
      kind: 'refused',
      status: 403,
      reason: 'outside the app folder',
    });
  });

  it.each([
    ['app://evil/index.html', 403],
    ['https://parley/index.html', 403],
    ['app://parley/%E0%A4%A', 400],
    ['app://parley/a%00.js', 400],
    ['app://parley/a%5c..%5cmain.js', 400],
    ['app://parley/secret.pem', 404],
    ['app://parley/assets', 404],
  ])('refuses %s with status %d', (url, status) => {
    expect(resolveAppFile(url, root)).toMatchObject({ kind: 'refused', status });
  });
});
