import { EmbeddedServerStartError } from '../../../main/embeddedServer/EmbeddedServer';
import { chooseServer } from '../../../main/embeddedServer/serverChoice';
import { KeychainStore, type KeytarPort } from '../../../main/keychain/KeychainStore';
import { startFailureMessage } from '../../../main/startup/startFailureMessage';

/** A sentence a person reads: capitalised, ends with a full stop, no `area:` developer prefix. */
function expectSentences(text: string): void {
  expect(text).toMatch(/^[A-Z]/);
  expect(text).toMatch(/\.$/);
  expect(text).not.toMatch(/^[\w ]+: /);
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

it('a locked keychain is named, with what to do, and without the D-Bus message', async () => {
  const failure = () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
  const locked: KeytarPort = {
    getPassword: failure,
    setPassword: failure,
    deletePassword: failure,
  };
  const error = await new KeychainStore(locked, 'parley-test', 'scope')
    .getIdentityPrivateKey()
    .catch((thrown: unknown) => thrown);

  const message = startFailureMessage(error);
  expectSentences(message);
  expect(message).toContain('system keychain');
  expect(message).toContain('Unlock it');
  expect(message).not.toContain('D-Bus');
});

it('a server address that cannot be used says which variable and why', () => {
  const message = startFailureMessage(
    thrownBy(() => chooseServer({ PARLEY_SERVER_URL: 'ws://parley.example.com/ws' })),
  );
  expectSentences(message);
  expect(message).toContain('PARLEY_SERVER_URL must use wss: or https: for parley.example.com');
});

it("the local server's output is kept out of the box; what to do is in it", () => {
  const message = startFailureMessage(
    new EmbeddedServerStartError(
      'embedded server exited with code 3 before it was listening\ndatabase is locked',
    ),
  );
  expectSentences(message);
  expect(message).toContain('local server');
  expect(message).not.toContain('database is locked');
});

it("any other error's developer message is not shown", () => {
  const message = startFailureMessage(
    new TypeError("Cannot read properties of null (reading 'x')"),
  );
  expectSentences(message);
  expect(message).not.toContain('Cannot read');
  expect(message).toContain('Quit Parley and open it again');
});
