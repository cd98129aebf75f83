import { desktopCapturer, session, type DesktopCapturerSource } from 'electron';
import { ScreenShareBroker } from './ScreenShareBroker';

/**
 * Routes every getDisplayMedia of the default session through the broker, so the app's own
 * picker chooses the source; Chromium's request waits until the picker answers.
 */
export function createScreenShareBroker(
  log: (message: string) => void,
): ScreenShareBroker<DesktopCapturerSource> {
  const broker = new ScreenShareBroker<DesktopCapturerSource>(
    desktopCapturer,
    { setTimeout, clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
    process.platform,
    log,
  );
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    const frame = request.frame;
    broker.request(
      {
        securityOrigin: frame ? frame.url : request.securityOrigin,
        isMainFrame: frame !== null && frame.parent === null,
      },
      (answer) => {
        if (answer.kind === 'deny') callback(null);
        else if (answer.systemAudio) callback({ video: answer.source, audio: 'loopback' });
        else callback({ video: answer.source });
      },
    );
  });
  return broker;
}
