import { confirmAccountRemoval } from '../../../main/account/accountRemovalDialog';
import { FakeMessageBox } from './FakeMessageBox';

const account = { username: 'alice', displayName: 'Alice', deviceId: 'device-0001' };

describe('the account removal dialog', () => {
  it('names the account and what is lost, and removes only on "Remove account"', async () => {
    const box = new FakeMessageBox();
    box.answer = 'Remove account';
    expect(await confirmAccountRemoval(box, account)).toBe(true);
    box.answer = 'Keep account';
    expect(await confirmAccountRemoval(box, account)).toBe(false);
    const [shown] = box.shown;
    expect(shown?.message).toBe('Remove @alice from this device?');
    expect(shown?.detail).toContain("deletes this device's identity key");
    expect(shown?.detail).toContain('cannot be undone');
  });

  it('keeps the account when the user presses Enter, Escape or closes the box', async () => {
    const box = new FakeMessageBox();
    box.answer = 'Keep account';
    await confirmAccountRemoval(box, account);
    const [shown] = box.shown;
    expect(shown?.buttons[shown.defaultId]).toBe('Keep account');
    expect(shown?.buttons[shown.cancelId]).toBe('Keep account');
  });

  it('still asks when no account is stored, since the identity key may be', async () => {
    const box = new FakeMessageBox();
    box.answer = 'Keep account';
    expect(await confirmAccountRemoval(box, null)).toBe(false);
    expect(box.shown[0]?.message).toBe('Remove the account from this device?');
  });
});
