import { desktopCapturer, session, webContents, type DesktopCapturerSource } from 'electron';
import { ScreenShareBroker, type PickerWindowPort } from './ScreenShareBroker';

/**
 * Routes every getDisplayMedia of the default session through the broker, so only a request the
 * user made in the main window opens main's picker window; Chromium's request waits until the
 * picker answers. On macOS the system picker is used where the OS has one (then Electron never
 * calls the handler and the OS, not the page, chooses the source).
 */
export function createScreenShareBroker(
  appWebContentsId: () => number | null,
  picker: PickerWindowPort,
  log: (message: string) => void,
): ScreenShareBroker<DesktopCapturerSource> {
  const broker = new ScreenShareBroker<DesktopCapturerSource>(
    desktopCapturer,
    { setTimeout, clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
    process.platform,
    appWebContentsId,
    picker,
    log,
  );
  session.defaultSession.setDisplayMediaRequestHandler(
    (request, callback) => {
      const frame = request.frame;
      broker.request(
        {
          webContentsId: frame ? (webContents.fromFrame(frame)?.id ?? null) : null,
          securityOrigin: frame ? frame.url : request.securityOrigin,
          isMainFrame: frame !== null && frame.parent === null,
          userGesture: request.userGesture,
        },
        (answer) => {
          if (answer.kind === 'deny') callback(null);
          else if (answer.systemAudio) callback({ video: answer.source, audio: 'loopback' });
          else callback({ video: answer.source });
        },
      );
    },
    { useSystemPicker: process.platform === 'darwin' },
  );
  return broker;
}
