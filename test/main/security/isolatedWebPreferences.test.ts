import { isolatedWebPreferences } from '../../../main/security/isolatedWebPreferences';

test("every window's page is sandboxed and isolated, with the preload as its only bridge", () => {
  const preferences = isolatedWebPreferences('/app/dist/preload/index.js', true);
  expect(preferences).toMatchObject({
    preload: '/app/dist/preload/index.js',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  });
  // Nothing else can open Node or a second page up.
  expect(preferences).not.toHaveProperty('nodeIntegrationInSubFrames');
  expect(preferences).not.toHaveProperty('experimentalFeatures');
});

test('DevTools are off when debugging is locked down, and only then', () => {
  expect(isolatedWebPreferences('/p.js', false).devTools).toBe(false);
  expect(isolatedWebPreferences('/p.js', true).devTools).toBe(true);
});
