import {
  acceleratorFor,
  defaultShortcuts,
  matchesAccelerator,
  shortcutActionFor,
  type KeyPress,
} from '../../../renderer/desktop/keyboardShortcuts';

const press = (code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  code,
  key: code.replace(/^Key/, '').toLowerCase(),
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});
const ctrlAltShift = { ctrlKey: true, altKey: true, shiftKey: true };

test('the default in-window shortcuts are the global ones: Ctrl+Alt+Shift+M/H/A/D', () => {
  expect(shortcutActionFor(defaultShortcuts, press('KeyM', ctrlAltShift), false)).toBe(
    'toggleMute',
  );
  expect(shortcutActionFor(defaultShortcuts, press('KeyH', ctrlAltShift), false)).toBe('hangUp');
  expect(shortcutActionFor(defaultShortcuts, press('KeyA', ctrlAltShift), false)).toBe(
    'acceptCall',
  );
  expect(shortcutActionFor(defaultShortcuts, press('KeyD', ctrlAltShift), false)).toBe(
    'declineCall',
  );
});

test('CommandOrControl is Cmd on macOS and Ctrl elsewhere', () => {
  const cmd = { metaKey: true, altKey: true, shiftKey: true };
  expect(shortcutActionFor(defaultShortcuts, press('KeyM', cmd), true)).toBe('toggleMute');
  expect(shortcutActionFor(defaultShortcuts, press('KeyM', cmd), false)).toBeNull();
  expect(shortcutActionFor(defaultShortcuts, press('KeyM', ctrlAltShift), true)).toBeNull();
});

test('extra or missing modifiers, plain typing and unset shortcuts do nothing', () => {
  expect(shortcutActionFor(defaultShortcuts, press('KeyM'), false)).toBeNull();
  expect(
    shortcutActionFor(defaultShortcuts, press('KeyM', { ctrlKey: true, altKey: true }), false),
  ).toBeNull();
  expect(
    shortcutActionFor(defaultShortcuts, press('KeyM', { ...ctrlAltShift, metaKey: true }), false),
  ).toBeNull();
  expect(
    shortcutActionFor(
      { ...defaultShortcuts, toggleMute: null },
      press('KeyM', ctrlAltShift),
      false,
    ),
  ).toBeNull();
  expect(
    matchesAccelerator('Alt+Shift', press('ShiftLeft', { altKey: true, shiftKey: true }), false),
  ).toBe(false);
});

test('the key is matched by position, so Alt and Shift changing the character does not matter', () => {
  const event = { ...press('KeyM', ctrlAltShift), key: 'µ' };
  expect(matchesAccelerator('CommandOrControl+Alt+Shift+M', event, false)).toBe(true);
  expect(
    matchesAccelerator(
      'Ctrl+Shift+1',
      press('Digit1', { ctrlKey: true, shiftKey: true, key: '!' }),
      false,
    ),
  ).toBe(true);
});

test('recording a shortcut in settings gives the accelerator main registers; bare keys are refused', () => {
  expect(acceleratorFor(press('KeyK', ctrlAltShift))).toBe('CommandOrControl+Alt+Shift+K');
  expect(acceleratorFor(press('KeyK'))).toBeNull();
  expect(acceleratorFor(press('ControlLeft', { ctrlKey: true, key: 'Control' }))).toBeNull();
});
