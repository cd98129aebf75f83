import { randomUUID } from 'node:crypto';
import { callReports, groupCallReports, groupInviteReports } from './callReports';
import { createDesktop } from './fakePorts';

describe('DesktopController', () => {
  describe('answering from the incoming-call window', () => {
    it('accepts with the chosen media, brings the app forward and stops ringing', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const call = callReports();
      desktop.controller.report(call.incoming);
      desktop.controller.acceptFromIncomingWindow({ callId: call.callId, media: 'video' });
      expect(desktop.sent).toEqual([{ kind: 'acceptCall', media: 'video' }]);
      expect(desktop.mainWindow.visible).toBe(true);
      expect(desktop.incomingWindow.ringtonePlaying).toBe(false);
      // A late report of the same ringing call does not start the ringtone again.
      desktop.controller.report(call.incoming);
      expect(desktop.incomingWindow.opened).toBe(1);
    });

    it('declines without showing the app', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const call = callReports();
      desktop.controller.report(call.incoming);
      desktop.controller.declineFromIncomingWindow({ callId: call.callId });
      expect(desktop.sent).toEqual([{ kind: 'declineCall' }]);
      expect(desktop.mainWindow.visible).toBe(false);
    });

    it('refuses to answer a call that is not the one ringing, and sends nothing', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const call = callReports();
      desktop.controller.report(call.incoming);
      expect(() =>
        desktop.controller.acceptFromIncomingWindow({ callId: randomUUID(), media: 'audio' }),
      ).toThrow('incoming-call window refused: that call is not ringing');
      desktop.controller.report(call.ended('other'));
      expect(() => desktop.controller.declineFromIncomingWindow({ callId: call.callId })).toThrow(
        'that call is not ringing',
      );
      expect(desktop.sent).toEqual([]);
    });
  });

  describe('answering a group call from the incoming-call window', () => {
    it('joins (accepts) with the media chosen, or declines, only the group call that rings', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const invite = groupInviteReports();
      desktop.controller.report(invite.incoming);
      expect(() =>
        desktop.controller.acceptFromIncomingWindow({ callId: randomUUID(), media: 'video' }),
      ).toThrow('that call is not ringing');
      desktop.controller.acceptFromIncomingWindow({ callId: invite.callId, media: 'video' });
      expect(desktop.sent).toEqual([{ kind: 'acceptCall', media: 'video' }]);
      expect(desktop.mainWindow.visible).toBe(true);
      expect(desktop.incomingWindow.ringtonePlaying).toBe(false);

      const next = groupInviteReports();
      desktop.controller.report(invite.ended('answered'));
      desktop.mainWindow.hide();
      desktop.controller.report(next.incoming);
      desktop.controller.declineFromIncomingWindow({ callId: next.callId });
      expect(desktop.sent).toEqual([
        { kind: 'acceptCall', media: 'video' },
        { kind: 'declineCall' },
      ]);
      expect(desktop.mainWindow.visible).toBe(false);
    });

    it('takes the accept shortcut as a join with audio only', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      desktop.controller.report(groupInviteReports().incoming);
      desktop.controller.shortcutPressed('acceptCall');
      expect(desktop.sent).toEqual([{ kind: 'acceptCall', media: 'audio' }]);
    });
  });

  describe('global shortcut presses', () => {
    it('act only in the states where they make sense', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const press = (...actions: Parameters<typeof desktop.controller.shortcutPressed>[0][]) =>
        actions.forEach((a) => desktop.controller.shortcutPressed(a));
      const call = callReports();
      desktop.controller.report(call.ended('other'));
      press('toggleMute', 'hangUp', 'acceptCall', 'declineCall');
      expect(desktop.sent).toEqual([]);

      desktop.controller.report(call.incoming);
      press('toggleMute', 'hangUp', 'acceptCall');
      // Accepting by key is audio only, whatever the caller offered.
      expect(desktop.sent).toEqual([{ kind: 'acceptCall', media: 'audio' }]);

      desktop.sent.length = 0;
      desktop.controller.report(call.inCall);
      press('acceptCall', 'declineCall', 'toggleMute', 'hangUp');
      expect(desktop.sent).toEqual([
        { kind: 'toggleMute', callId: call.callId },
        { kind: 'hangUp', callId: call.callId },
      ]);

      desktop.sent.length = 0;
      desktop.controller.report(call.outgoing);
      press('toggleMute', 'hangUp');
      expect(desktop.sent).toEqual([{ kind: 'hangUp', callId: call.callId }]);
    });

    it('mute and hang up the group call we are in, naming it, and nothing once we left', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      const call = groupCallReports();
      desktop.controller.report(call.inCall);
      for (const action of ['acceptCall', 'declineCall', 'toggleMute', 'hangUp'] as const) {
        desktop.controller.shortcutPressed(action);
      }
      expect(desktop.sent).toEqual([
        { kind: 'toggleMute', callId: call.callId },
        { kind: 'hangUp', callId: call.callId },
      ]);
      desktop.sent.length = 0;
      desktop.controller.report(call.left);
      desktop.controller.shortcutPressed('toggleMute');
      desktop.controller.shortcutPressed('hangUp');
      expect(desktop.sent).toEqual([]);
    });

    it('declines a ringing call', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      desktop.controller.report(callReports().incoming);
      desktop.controller.shortcutPressed('declineCall');
      expect(desktop.sent).toEqual([{ kind: 'declineCall' }]);
    });
  });

  describe('deep links', () => {
    it('shows the window and asks the renderer to call the user', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      desktop.controller.report(callReports().ended('other'));
      desktop.controller.deepLink('parley://call/bob');
      expect(desktop.sent).toEqual([{ kind: 'callUser', username: 'bob' }]);
      expect(desktop.mainWindow.visible).toBe(true);
      expect(desktop.log).toContain('deep link: call bob');
    });

    it('holds a link that arrives before the renderer listens, and sends it once it reports', () => {
      const desktop = createDesktop();
      desktop.controller.deepLink('parley://call/carol');
      expect(desktop.sent).toEqual([]);
      desktop.controller.report(callReports().ended('other'));
      expect(desktop.sent).toEqual([{ kind: 'callUser', username: 'carol' }]);
    });

    it('ignores a bad link with a log line and does nothing else', () => {
      const desktop = createDesktop({ visible: false, focused: false });
      desktop.controller.report(callReports().ended('other'));
      desktop.controller.deepLink('parley://call/../../etc/passwd');
      desktop.controller.deepLink('parley://settings/reset');
      expect(desktop.sent).toEqual([]);
      expect(desktop.mainWindow.visible).toBe(false);
      expect(desktop.log).toEqual([
        'deep link ignored: the link has more than a username',
        'deep link ignored: unknown link (only call/ and call-link/)',
      ]);
    });

    it('shows the window and asks the renderer to open a call link, keeping its token out of the log', () => {
      const token = 'AbCdEfGhIjKlMnOpQrStUv';
      const desktop = createDesktop({ visible: false, focused: false });
      desktop.controller.report(callReports().ended('other'));
      desktop.controller.deepLink(`parley://call-link/${token}`);
      expect(desktop.sent).toEqual([{ kind: 'openCallLink', token }]);
      expect(desktop.mainWindow.visible).toBe(true);
      expect(desktop.log).toEqual(['deep link: open a call link']);
    });

    it('logs instead of failing when the main window is gone', () => {
      const desktop = createDesktop();
      desktop.controller.report(callReports().ended('other'));
      desktop.closeRenderer();
      desktop.controller.deepLink('parley://call/bob');
      expect(desktop.log).toContain('no window for host action callUser');
    });
  });

  describe('closing the main window', () => {
    it('hides it to the tray by default', () => {
      const desktop = createDesktop();
      expect(desktop.controller.closeRequested()).toBe(true);
      expect(desktop.mainWindow.visible).toBe(false);
      expect(desktop.tray.item('toggle-window').label).toBe('Show Parley');
    });

    it('really closes it when close-to-tray is off', () => {
      const desktop = createDesktop();
      desktop.settings.closeToTray = false;
      expect(desktop.controller.closeRequested()).toBe(false);
    });

    it('really closes it while the app quits', () => {
      const desktop = createDesktop();
      desktop.controller.beginQuit();
      expect(desktop.controller.closeRequested()).toBe(false);
      expect(desktop.mainWindow.visible).toBe(true);
    });
  });
});
