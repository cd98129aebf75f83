import { ContactPageModel } from '../../../renderer/identity/ContactPageModel';
import type { PinsModel } from '../../../renderer/identity/PinsModel';

test("a verification that can't be saved shows a sentence, not the storage error", async () => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const pins = {
    load: () => Promise.resolve(),
    isVerified: () => false,
    setVerified: () => Promise.reject(new Error('pins.json: EACCES: permission denied')),
  } as unknown as PinsModel;
  const page = new ContactPageModel(pins);
  page.open('bob');
  await page.toggleVerified('bob', 'root-key');
  expect(page.error.value).toBe("Couldn't save the change. Try again.");
});
