import type { StoredAccount } from '../../protocol/ipc';

/** A native message box as main shows it; the Electron adapter is `electronMessageBox.ts`. */
export interface MessageBoxRequest {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  /** The button Enter presses. */
  defaultId: number;
  /** The button Escape and closing the box press. */
  cancelId: number;
}

export interface MessageBoxPort {
  /** Shows the box and resolves with the index of the button the user chose. */
  show(request: MessageBoxRequest): Promise<number>;
}

const KEEP = 0;
const REMOVE = 1;

/**
 * Asks the user, in a dialog main owns, whether to remove the account from this device: this
 * destroys the identity key, which no one can bring back. The page cannot answer for the user,
 * and anything but a click on "Remove" (Enter, Escape, closing the box) keeps the account.
 */
export async function confirmAccountRemoval(
  box: MessageBoxPort,
  account: StoredAccount | null,
): Promise<boolean> {
  const who = account ? `@${account.username}` : 'the account';
  const answer = await box.show({
    type: 'warning',
    title: 'Remove account from this device',
    message: `Remove ${who} from this device?`,
    detail:
      "This deletes this device's identity key, its session and the safety-number pins of your " +
      'contacts stored here. It cannot be undone: to use the account here again, this device ' +
      'must be linked from another device of the account. Remove it only if you asked for this, ' +
      'or were told this device was removed from your account.',
    buttons: ['Keep account', 'Remove account'],
    defaultId: KEEP,
    cancelId: KEEP,
  });
  return answer === REMOVE;
}
