import { isolateName } from '../../../protocol/nameText';
import { idleReport } from '../../../main/desktop/DesktopController';
import {
  bob,
  callReports,
  carol,
  dan,
  erin,
  groupCallReports,
  groupInviteReports,
} from '../desktop/callReports';
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
    const call = callReports();
    controller.report(call.outgoing);
    expect(tray.icon).toBe('in-call');
    expect(tray.item('status').label).toBe(`Calling ${BOB}…`);
    expect(tray.item('toggle-mute').enabled).toBe(false);
    expect(tray.item('hang-up').enabled).toBe(true);
    tray.click('toggle-mute');
    tray.click('hang-up');
    expect(sent).toEqual([{ kind: 'hangUp', callId: call.callId }]);
  });

  it('offers Mute and Hang up in a call, and they reach the renderer', () => {
    const { tray, controller, sent } = createDesktop();
    const call = callReports();
    controller.report(call.inCall);
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
    expect(sent).toEqual([
      { kind: 'toggleMute', callId: call.callId },
      { kind: 'hangUp', callId: call.callId },
    ]);
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

describe('tray in a group call', () => {
  const CAROL = isolateName('Carol');

  it('shows the call icon, names the others, and offers Mute and Hang up for that call', () => {
    const { tray, controller, sent } = createDesktop({ visible: false, focused: false });
    const call = groupCallReports();
    controller.report(call.inCall);
    expect(tray.icon).toBe('in-call');
    expect(tray.toolTip).toBe(`Parley · In a group call with ${BOB} and ${CAROL}`);
    expect(tray.menuText()).toEqual([
      'Show Parley',
      '---',
      `[In a group call with ${BOB} and ${CAROL}]`,
      'Mute',
      'Hang up',
      '---',
      'Quit Parley',
    ]);
    tray.click('toggle-mute');
    controller.report(call.muted);
    expect(tray.icon).toBe('muted');
    expect(tray.item('toggle-mute').label).toBe('Unmute');
    expect(tray.toolTip).toBe(`Parley · In a group call with ${BOB} and ${CAROL} · muted`);
    tray.click('toggle-mute');
    tray.click('hang-up');
    expect(sent).toEqual([
      { kind: 'toggleMute', callId: call.callId },
      { kind: 'toggleMute', callId: call.callId },
      { kind: 'hangUp', callId: call.callId },
    ]);
  });

  it('counts the rest past three names, and says when we are alone in it', () => {
    const { tray, controller } = createDesktop();
    controller.report(groupCallReports([bob, carol, dan, erin]).inCall);
    expect(tray.item('status').label).toBe(`In a group call with ${BOB}, ${CAROL} and 2 others`);
    controller.report(groupCallReports([]).inCall);
    expect(tray.item('status').label).toBe('In a group call, only you in it');
  });

  it('goes back to ready when we leave, without counting a missed call', () => {
    const { tray, controller, notifications, sent } = createDesktop({
      visible: false,
      focused: false,
    });
    const call = groupCallReports();
    controller.report(call.inCall);
    controller.report(call.left);
    expect(tray.icon).toBe('idle');
    expect(tray.title).toBe('');
    expect(tray.toolTip).toBe('Parley · Ready for calls');
    expect(notifications.shown).toEqual([]);
    // The menu of the call that is over acts on nothing.
    tray.click('hang-up');
    tray.click('toggle-mute');
    expect(sent).toEqual([]);
  });
});
