import { MediaAccess, type SystemPreferencesPort } from '../../../main/media/MediaAccess';

/** Electron's systemPreferences as macOS or Windows answer: a status per input, and a prompt. */
class FakeSystemPreferences implements SystemPreferencesPort {
  status: Record<string, string> = { camera: 'not-determined', microphone: 'granted' };
  /** What the user answers in the OS prompt. */
  answer = true;
  prompts: string[] = [];
  private release: (() => void) | null = null;
  holdPrompt = false;

  getMediaAccessStatus(mediaType: 'camera' | 'microphone'): string {
    return this.status[mediaType] ?? 'unknown';
  }

  async askForMediaAccess(mediaType: 'camera' | 'microphone'): Promise<boolean> {
    this.prompts.push(mediaType);
    if (this.holdPrompt) await new Promise<void>((resolve) => (this.release = resolve));
    this.status[mediaType] = this.answer ? 'granted' : 'denied';
    return this.answer;
  }

  answerPrompt(): void {
    this.release?.();
  }
}

describe("the OS's camera and microphone settings", () => {
  test('macOS asks the user once while they have not decided, and reports their answer', async () => {
    const preferences = new FakeSystemPreferences();
    const access = new MediaAccess('darwin', preferences);
    await expect(access.request('camera')).resolves.toEqual({
      input: 'camera',
      status: 'granted',
      asked: true,
    });
    // Decided now: no prompt again.
    await expect(access.request('camera')).resolves.toEqual({
      input: 'camera',
      status: 'granted',
      asked: false,
    });
    expect(preferences.prompts).toEqual(['camera']);
  });

  test('macOS does not ask again after the user refused: the status says denied', async () => {
    const preferences = new FakeSystemPreferences();
    preferences.status.camera = 'denied';
    const access = new MediaAccess('darwin', preferences);
    await expect(access.request('camera')).resolves.toEqual({
      input: 'camera',
      status: 'denied',
      asked: false,
    });
    expect(preferences.prompts).toEqual([]);
  });

  test('a page asking many times at once gets one OS prompt', async () => {
    const preferences = new FakeSystemPreferences();
    preferences.holdPrompt = true;
    preferences.answer = false;
    const access = new MediaAccess('darwin', preferences);
    const answers = Promise.all([
      access.request('camera'),
      access.request('camera'),
      access.request('camera'),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    preferences.answerPrompt();
    const results = await answers;
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['denied']));
    expect(preferences.prompts).toEqual(['camera']);
  });

  test('Windows reports its setting and never prompts (it has no prompt)', async () => {
    const preferences = new FakeSystemPreferences();
    preferences.status.microphone = 'denied';
    const access = new MediaAccess('win32', preferences);
    await expect(access.request('microphone')).resolves.toEqual({
      input: 'microphone',
      status: 'denied',
      asked: false,
    });
    await expect(access.request('camera')).resolves.toMatchObject({ asked: false });
    expect(preferences.prompts).toEqual([]);
  });

  test('Linux has no such setting: the result says so without touching systemPreferences', async () => {
    const preferences = new FakeSystemPreferences();
    preferences.getMediaAccessStatus = () => {
      throw new Error('systemPreferences.getMediaAccessStatus is macOS and Windows only');
    };
    const access = new MediaAccess('linux', preferences);
    await expect(access.request('camera')).resolves.toEqual({
      input: 'camera',
      status: 'not-applicable',
      asked: false,
    });
  });

  test('a status the OS adds later reads as unknown, not as something the schema refuses', async () => {
    const preferences = new FakeSystemPreferences();
    preferences.status.microphone = 'limited';
    const access = new MediaAccess('win32', preferences);
    await expect(access.request('microphone')).resolves.toMatchObject({ status: 'unknown' });
  });
});
