import { isPermissionAllowed } from '../../../main/security/permissions';

const app = 'app://parley/index.html';

describe('permission allowlist', () => {
  it.each(['media', 'display-capture', 'notifications'])(
    'grants %s to the app main frame, by URL or by origin',
    (permission) => {
      expect(isPermissionAllowed({ permission, requestingUrl: app, isMainFrame: true })).toBe(true);
      expect(
        isPermissionAllowed({ permission, requestingUrl: 'app://parley', isMainFrame: true }),
      ).toBe(true);
    },
  );

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
  ])('denies %s even to the app', (permission) => {
    expect(isPermissionAllowed({ permission, requestingUrl: app, isMainFrame: true })).toBe(false);
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
  ])('denies media to %s', (requestingUrl) => {
    expect(isPermissionAllowed({ permission: 'media', requestingUrl, isMainFrame: true })).toBe(
      false,
    );
  });

  it('denies media to a subframe, even one on the app origin', () => {
    expect(
      isPermissionAllowed({ permission: 'media', requestingUrl: app, isMainFrame: false }),
    ).toBe(false);
  });
});
