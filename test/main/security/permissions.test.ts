import { isPermissionAllowed, type PermissionQuery } from '../../../main/security/permissions';

const app = 'app://parley/index.html';
const mainWindowId = 1;
const incomingWindowId = 2;

function ask(overrides: Partial<PermissionQuery>): PermissionQuery {
  return {
    permission: 'media',
    webContentsId: mainWindowId,
    requestingUrl: app,
    isMainFrame: true,
    ...overrides,
  };
}

describe('permission allowlist', () => {
  it.each(['media', 'display-capture', 'notifications'])(
    'grants %s to the main window on the app origin, by URL or by origin',
    (permission) => {
      expect(isPermissionAllowed(ask({ permission }), mainWindowId)).toBe(true);
      expect(
        isPermissionAllowed(ask({ permission, requestingUrl: 'app://parley' }), mainWindowId),
      ).toBe(true);
    },
  );

  it.each(['media', 'display-capture', 'notifications', 'geolocation'])(
    'denies %s to the incoming-call window, though it is on the app origin',
    (permission) => {
      const fromIncoming = ask({
        permission,
        webContentsId: incomingWindowId,
        requestingUrl: 'app://parley/incoming.html',
      });
      expect(isPermissionAllowed(fromIncoming, mainWindowId)).toBe(false);
    },
  );

  it('denies a check that names no web contents', () => {
    expect(isPermissionAllowed(ask({ webContentsId: null }), mainWindowId)).toBe(false);
  });

  it('denies everything while there is no main window', () => {
    expect(isPermissionAllowed(ask({}), null)).toBe(false);
    expect(isPermissionAllowed(ask({ webContentsId: null }), null)).toBe(false);
  });

  it.each([
    'geolocation',
    'clipboard-read',
    'openExternal',
    'midiSysex',
    'hid',
    'usb',
    'serial',
    'pointerLock',
    'fullscreen',
    'unknown',
  ])('denies %s even to the main window', (permission) => {
    expect(isPermissionAllowed(ask({ permission }), mainWindowId)).toBe(false);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'file:///home/user/page.html',
    'app://parley.evil/',
    'app://evil/',
    'app://parley:8080/',
    'app://parley@evil/',
    '',
    'not a url',
  ])('denies media to %s in the main window', (requestingUrl) => {
    expect(isPermissionAllowed(ask({ requestingUrl }), mainWindowId)).toBe(false);
  });

  it('denies media to a subframe, even one on the app origin', () => {
    expect(isPermissionAllowed(ask({ isMainFrame: false }), mainWindowId)).toBe(false);
  });
});
