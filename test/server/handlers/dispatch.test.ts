import { clientMessageTypes } from '../../../protocol';
import { handlers } from '../../../server/handlers/dispatch';

test('the dispatch table has exactly one handler per client message type', () => {
  expect(Object.keys(handlers).sort()).toEqual([...clientMessageTypes].sort());
});

test('only the sign-in messages and ping are open before sign-in', () => {
  const open = Object.entries(handlers)
    .filter(([, handler]) => handler.access === 'open')
    .map(([type]) => type)
    .sort();
  expect(open).toEqual([
    'auth.login',
    'auth.register',
    'hello',
    'link.request',
    'ping',
    'session.resume',
  ]);
});
