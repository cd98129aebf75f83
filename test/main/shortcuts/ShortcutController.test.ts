import type { ShortcutAction } from '../../../protocol/ipc';
import { defaultShortcuts } from '../../../main/shortcuts/defaultShortcuts';
import { ShortcutController, shortcutProblems } from '../../../main/shortcuts/ShortcutController';
import { FakeGlobalShortcuts } from '../desktop/fakePorts';

function setup(sessionType?: string) {
  const port = new FakeGlobalShortcuts();
  const pressed: ShortcutAction[] = [];
  const controller = new ShortcutController(port, (action) => pressed.push(action), {
    sessionType,
  });
  return { port, pressed, controller };
}

describe('ShortcutController', () => {
  it('registers every default and reports each as registered', () => {
    const { port, controller, pressed } = setup('x11');
    const status = controller.apply(defaultShortcuts);
    expect(status).toEqual([
      {
        action: 'toggleMute',
        accelerator: defaultShortcuts.toggleMute,
        registered: true,
        problem: null,
      },
      { action: 'hangUp', accelerator: defaultShortcuts.hangUp, registered: true, problem: null },
      {
        action: 'acceptCall',
        accelerator: defaultShortcuts.acceptCall,
        registered: true,
        problem: null,
      },
      {
        action: 'declineCall',
        accelerator: defaultShortcuts.declineCall,
        registered: true,
        problem: null,
      },
    ]);
    port.press(defaultShortcuts.toggleMute as string);
    port.press(defaultShortcuts.declineCall as string);
    expect(pressed).toEqual(['toggleMute', 'declineCall']);
  });

  it('reports a shortcut another application holds, and keeps the others working', () => {
    const { port, controller } = setup('x11');
    port.takenElsewhere.add(defaultShortcuts.hangUp as string);
    const status = controller.apply(defaultShortcuts);
    expect(status.find((s) => s.action === 'hangUp')).toEqual({
      action: 'hangUp',
      accelerator: defaultShortcuts.hangUp,
      registered: false,
      problem: shortcutProblems.taken,
    });
    expect(status.filter((s) => s.registered)).toHaveLength(3);
    expect(controller.status()).toEqual(status);
  });

  it('explains that Wayland without the portal has no global shortcuts', () => {
    const { port, controller } = setup('wayland');
    port.refuseAll = true;
    const status = controller.apply(defaultShortcuts);
    expect(status.map((s) => s.problem)).toEqual(Array(4).fill(shortcutProblems.wayland));
    expect(status.every((s) => !s.registered)).toBe(true);
    expect(shortcutProblems.wayland).toBe(
      'Global shortcuts are not available in this desktop session (Wayland without the shortcuts portal)',
    );
  });

  it('reports an accelerator the OS layer throws on instead of crashing', () => {
    const { port, controller } = setup();
    port.register = () => {
      throw new Error('conversion failure');
    };
    expect(controller.apply({ ...defaultShortcuts }).map((s) => s.problem)).toEqual(
      Array(4).fill(shortcutProblems.invalid),
    );
  });

  it('moves a shortcut on reconfiguration: the old key is released, the new one works', () => {
    const { port, controller, pressed } = setup();
    controller.apply(defaultShortcuts);
    controller.apply({ ...defaultShortcuts, toggleMute: 'Control+Alt+F9', declineCall: null });
    expect(port.isRegistered(defaultShortcuts.toggleMute as string)).toBe(false);
    expect(port.isRegistered(defaultShortcuts.declineCall as string)).toBe(false);
    expect(port.isRegistered('Control+Alt+F9')).toBe(true);
    port.press('Control+Alt+F9');
    expect(pressed).toEqual(['toggleMute']);
    expect(controller.status().find((s) => s.action === 'declineCall')).toEqual({
      action: 'declineCall',
      accelerator: null,
      registered: false,
      problem: null,
    });
  });

  it('releases every key it holds on unregisterAll', () => {
    const { port, controller } = setup();
    controller.apply(defaultShortcuts);
    controller.unregisterAll();
    expect(port.callbacks.size).toBe(0);
  });
});
