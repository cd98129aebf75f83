import { isolateName } from '../../../protocol/nameText';
import { idleReport } from '../../../main/desktop/DesktopController';
import { callReports, groupInviteReports } from '../desktop/callReports';
import { createDesktop } from '../desktop/fakePorts';

/** Bob's display name as notifications and the tray carry it (isolated). */
const BOB = isolateName('Bob');

describe('tray', () => {
  it('shows the idle icon, a ready status and only Show/Hide and Quit enabled when idle', () => {
    const { tray } = createDesktop();
    expect(tray.icon).toBe('idle');
    expect(tray.toolTip).toBe('Parley · Ready for calls');
    expect(tray.title).toBe('');
    expect(tray.menuText()).toEqual([
      'Hide Parley',
      '---',
      '[Ready for calls]',
      '[Mute]',
      '[Hang up]',
      '---',
      'Quit Parley',
    ]);
  });

  it('rings with the caller in the status while a call comes in, without mute or hang up', () => {
    const { tray, controller } = createDesktop();
    controller.report(callReports().incoming);
    expect(tray.icon).toBe('ringing');
    expect(tray.toolTip).toBe(`Parley · Incoming video call from ${BOB}`);
    expect(tray.menuText()).toContain(`[Incoming video call from ${BOB}]`);
    expect(tray.item('toggle-mute').enabled).toBe(false);
    expect(tray.item('hang-up').enabled).toBe(false);
  });

  it('rings for a group call, naming who invites', () => {
    const { tray, controller } = createDesktop();
    controller.report(groupInviteReports(undefined, 'audio').incoming);
    expect(tray.icon).toBe('ringing');
    expect(tray.toolTip).toBe(`Parley · Incoming group call from ${BOB}`);
    expect(tray.item('toggle-mute').enabled).toBe(false);
    expect(tray.item('hang-up').enabled).toBe(false);
  });

  it('lets an outgoing call be hung up but not muted', () => {
    const { tray, controller, sent } = createDesktop();
    controller.report(callReports().outgoing);
    expect(tray.icon).toBe('in-call');
    expect(tray.item('status').label).toBe(`Calling ${BOB}…`);
    expect(tray.item('toggle-mute').enabled).toBe(false);
    expect(tray.item('hang-up').enabled).toBe(true);
    tray.click('toggle-mute');
    tray.click('hang-up');
    expect(sent).toEqual([{ kind: 'hangUp' }]);
  });

  it('offers Mute and Hang up in a call, and they reach the renderer', () => {
    const { tray, controller, sent } = createDesktop();
    controller.report(callReports().inCall);
    expect(tray.icon).toBe('in-call');
    expect(tray.menuText()).toEqual([
      'Hide Parley',
      '---',
      `[In call with ${BOB}]`,
      'Mute',
      'Hang up',
      '---',
      'Quit Parley',
    ]);
    tray.click('toggle-mute');
    tray.click('hang-up');
    expect(sent).toEqual([{ kind: 'toggleMute' }, { kind: 'hangUp' }]);
  });

  it('shows the muted icon, "· muted" and Unmute while muted', () => {
    const { tray, controller } = createDesktop();
    controller.report(callReports().muted);
    expect(tray.icon).toBe('muted');
    expect(tray.toolTip).toBe(`Parley · In call with ${BOB} · muted`);
    expect(tray.item('toggle-mute').label).toBe('Unmute');
  });

  it('counts missed calls in the badge icon, tooltip, title and status, up to 9+', () => {
    const { tray, controller, mainWindow } = createDesktop({ visible: false, focused: false });
    for (let n = 1; n <= 11; n++) {
      const call = callReports();
      controller.report(call.incoming);
      controller.report(call.ended('missed'));
      expect(tray.title).toBe(String(n));
      expect(tray.icon).toBe(n > 9 ? 'missed-9plus' : `missed-${n}`);
    }
    expect(tray.toolTip).toBe('Parley · Ready for calls · 11 missed calls');
    expect(tray.item('status').label).toBe('Ready for calls (11 missed calls)');
    mainWindow.show();
    controller.mainWindowAttended();
    expect(tray.icon).toBe('idle');
    expect(tray.title).toBe('');
  });

  it('keeps the call icon during a call even with missed calls, and says so in the tooltip', () => {
    const { tray, controller } = createDesktop({ visible: false, focused: false });
    const missed = callReports();
    controller.report(missed.incoming);
    controller.report(missed.ended('missed'));
    controller.report(callReports().inCall);
    expect(tray.icon).toBe('in-call');
    expect(tray.toolTip).toBe(`Parley · In call with ${BOB} · 1 missed call`);
  });

  it('toggles the window from the menu and relabels Show/Hide', () => {
    const { tray, mainWindow } = createDesktop();
    tray.click('toggle-window');
    expect(mainWindow.visible).toBe(false);
    expect(tray.item('toggle-window').label).toBe('Show Parley');
    tray.click('toggle-window');
    expect(mainWindow.visible).toBe(true);
    expect(tray.item('toggle-window').label).toBe('Hide Parley');
  });

  it('quits from the menu', () => {
    const desktop = createDesktop();
    desktop.tray.click('quit');
    expect(desktop.quitRequests()).toBe(1);
  });

  it('ignores a click on an item that is disabled in the current state', () => {
    const { tray, controller, sent } = createDesktop();
    controller.report(callReports().inCall);
    controller.report(idleReport);
    tray.click('hang-up');
    tray.click('toggle-mute');
    tray.click('status');
    expect(sent).toEqual([]);
  });
});
