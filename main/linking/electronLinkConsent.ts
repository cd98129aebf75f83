import { dialog, type BrowserWindow } from 'electron';
import type { LinkConsentPort } from './LinkCertifier';

/**
 * The native confirmation before a link certificate is signed. It is drawn by the OS, outside
 * the renderer, so a compromised page can neither hide nor pre-answer it; Cancel is the default.
 */
export function createElectronLinkConsent(parent: () => BrowserWindow | null): LinkConsentPort {
  return {
    async confirm(request) {
      const options = {
        type: 'question' as const,
        title: 'Link a new device',
        message: `Link "${request.deviceName}" to your account @${request.username}?`,
        detail:
          `Key fingerprint: ${request.keyFingerprint}\n\n` +
          'Approve only if the new device is yours and shows this same fingerprint. ' +
          'It will be able to sign in, call and be called as you.',
        buttons: ['Cancel', 'Link device'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const window = parent();
      const { response } = window
        ? await dialog.showMessageBox(window, options)
        : await dialog.showMessageBox(options);
      return response === 1;
    },
  };
}
