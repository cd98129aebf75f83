/**
 * What to tell the user when sharing the screen did not start, by the error getDisplayMedia gave;
 * null when they cancelled the picker themselves (nothing went wrong).
 */
export function screenShareFailureText(error: unknown): string | null {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const message = error instanceof Error || error instanceof DOMException ? error.message : '';
  switch (name) {
    case 'NotAllowedError':
      // Chromium says "Permission denied by system" when the OS refused; the user's own cancel
      // is a plain "Permission denied".
      return /system/i.test(message)
        ? "Your computer doesn't let this browser record the screen. Allow it in your system's privacy settings (on a Mac: Screen Recording), then try again."
        : null;
    case 'NotFoundError':
      // Headless browsers and some Wayland desktops have no screen or window to offer.
      return 'There is no screen or window this browser can share here.';
    case 'NotReadableError':
      return "Your screen couldn't be captured: the system or another app stopped it. Try again, or choose another window or screen.";
    case 'NotSupportedError':
    case 'TypeError':
      return "This browser can't share the screen.";
    default:
      return "Couldn't share your screen. Try again, or choose another window or screen.";
  }
}
