import { callLinkFromFragment } from '../../../renderer/host/callLinkFragment';

const token = 'AbCdEfGhIjKlMnOpQrStUv';

test('the fragment the server sends a call link to gives its token', () => {
  expect(callLinkFromFragment(`#call-link/${token}`)).toBe(token);
});

test.each([
  '',
  '#',
  `#call-link/${token}/`,
  `#call-link/${token}x`,
  `#call-link/${token.slice(1)}`,
  `#call-link/${token.slice(1)}%41`,
  `#call-link/../${token}`,
  `#Call-Link/${token}`,
  `#call/${token}`,
  `?call-link/${token}`,
])('%j is no call link', (hash) => {
  expect(callLinkFromFragment(hash)).toBeNull();
});
