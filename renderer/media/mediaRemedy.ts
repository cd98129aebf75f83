import type { FailedInput } from '../call/mediaErrors';

/** Whose rules decide about the camera and microphone: a browser, or the desktop app's OS. */
export type MediaGatekeeper =
  | { kind: 'browser'; browser: 'chromium' | 'firefox' | 'safari' | 'other' }
  | { kind: 'desktop'; os: 'macos' | 'windows' | 'linux' };

/** What went wrong with one input: refused (by the browser or OS), or not there to use. */
export interface MediaProblem {
  input: FailedInput;
  problem: 'denied' | 'missing';
}

/** What the user is told: which input, what happened, and the steps that fix it. */
export interface MediaRemedy extends MediaProblem {
  title: string;
  steps: string[];
}

/** The browser, from its user agent string (Edge, Opera, Brave and Chrome are all Chromium). */
export function browserFromUserAgent(
  userAgent: string,
): Extract<MediaGatekeeper, { kind: 'browser' }>['browser'] {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\//.test(userAgent)) return 'chromium';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'other';
}

/** The desktop OS, from the platform main reports (Node's process.platform). */
export function desktopOs(platform: string): Extract<MediaGatekeeper, { kind: 'desktop' }>['os'] {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'linux';
}

const titled = (input: FailedInput) => (input === 'camera' ? 'Camera' : 'Microphone');

function deniedSteps(input: FailedInput, where: MediaGatekeeper): string[] {
  const name = titled(input);
  if (where.kind === 'desktop') {
    switch (where.os) {
      case 'macos':
        return [
          `Open System Settings, then Privacy & Security, then ${name}.`,
          'Turn on Parley in the list.',
          'If macOS asks, quit and reopen Parley; then choose Try again.',
        ];
      case 'windows':
        return [
          `Open Settings, then Privacy & security, then ${name}.`,
          `Turn on ${name} access and "Let desktop apps access your ${input}".`,
          'Then choose Try again.',
        ];
      case 'linux':
        return [
          `Linux has no privacy setting for the ${input}: check that your user may use it (often the "video" or "audio" group) and that no sandbox blocks it.`,
          'Then choose Try again.',
        ];
    }
  }
  switch (where.browser) {
    case 'chromium':
      return [
        `Click the ${input} icon or the site settings icon at the left of the address bar.`,
        `Set ${name} to Allow.`,
        'Then choose Try again.',
      ];
    case 'firefox':
      return [
        `Click the crossed-out ${input} icon in the address bar.`,
        `Clear "Blocked" next to Use the ${name}.`,
        `Choose Try again, and Allow when Firefox asks.`,
      ];
    case 'safari':
      return [
        'In the menu bar, choose Safari, then Settings for This Website.',
        `Set ${name} to Allow.`,
        'Then choose Try again.',
      ];
    case 'other':
      return [
        `Open this site's settings in your browser and allow the ${input}.`,
        'Then choose Try again.',
      ];
  }
}

/** The remedy for a camera or microphone that could not be opened, where it was refused. */
export function mediaRemedy(problem: MediaProblem, where: MediaGatekeeper): MediaRemedy {
  const { input } = problem;
  if (problem.problem === 'missing') {
    return {
      ...problem,
      title: `Your ${input} could not be started.`,
      steps: [
        `Check that a ${input} is connected and that no other app is using it.`,
        'Then choose Try again.',
      ],
    };
  }
  const by = where.kind === 'desktop' ? 'Your computer' : 'Your browser';
  return {
    ...problem,
    title: `${by} blocked Parley from using your ${input}.`,
    steps: deniedSteps(input, where),
  };
}
