import { EmbeddedServerStartError } from '../embeddedServer/EmbeddedServer';
import { ServerChoiceError } from '../embeddedServer/serverChoice';
import { KeychainUnavailableError } from '../keychain/KeychainStore';

/**
 * What the "Parley could not start" box says: what went wrong and what to do, in sentences. The
 * full error (keychain and server output included) goes to the log for whoever looks into it.
 */
export function startFailureMessage(error: unknown): string {
  if (error instanceof ServerChoiceError) {
    // Whoever set the variable reads this; it names the variable and what it must hold.
    return `The server address it was given cannot be used. ${capitalised(error.message)}.`;
  }
  if (error instanceof KeychainUnavailableError) {
    return (
      "Parley keeps this device's key in the system keychain, and the keychain did not answer. " +
      'Unlock it (or start your desktop\u2019s keyring service), then open Parley again.'
    );
  }
  if (error instanceof EmbeddedServerStartError) {
    return (
      'The local server Parley runs on this computer did not start. Quit Parley and open it ' +
      'again; if this keeps happening, start it from a terminal to see why.'
    );
  }
  return 'Something went wrong while it was starting. Quit Parley and open it again.';
}

function capitalised(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
