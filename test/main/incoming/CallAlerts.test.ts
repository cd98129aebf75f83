import { isolateName } from '../../../protocol/nameText';
import { callReports, groupInviteReports } from '../desktop/callReports';
import { createDesktop } from '../desktop/fakePorts';

/** Bob as notifications name him: his display name (isolated) and his username beside it. */
const BOB = `${isolateName('Bob')} (@bob)`;

describe('incoming calls while the window is hidden', () => {
  it('shows a notification with the caller and the ringing incoming window when hidden', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const call = callReports();
    desktop.controller.report(call.incoming);
    expect(desktop.notifications.shown).toEqual([
      expect.objectContaining({
        title: `${BOB} is calling`,
        body: 'Incoming video call',
        open: true,
      }),
    ]);
    expect(desktop.incomingWindow.ringtonePlaying).toBe(true);
    expect(desktop.controller.incomingCall()).toEqual({
      callId: call.callId,
      peer: { username: 'bob', displayName: 'Bob' },
      media: 'video',
      group: null,
    });
  });

  it('shows a right-to-left override in a name stored by an older server neither reversing the title nor at all', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const call = callReports();
    const peer = { username: 'mallory', displayName: 'gnp.\u202Eexe' };
    desktop.controller.report({ ...call.incoming, peer });
    expect(desktop.notifications.titles()).toEqual(['\u2068gnp.exe\u2069 (@mallory) is calling']);
  });

  it('names the caller by username too, so a display name copied from a contact does not pass as them', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const call = callReports();
    desktop.controller.report({
      ...call.incoming,
      peer: { username: 'mallory', displayName: 'Bob' },
    });
    expect(desktop.notifications.titles()).toEqual([`${isolateName('Bob')} (@mallory) is calling`]);
  });

  it('also alerts when the window is visible but another app has focus', () => {
    const desktop = createDesktop({ visible: true, focused: false });
    desktop.controller.report(callReports(undefined, 'audio').incoming);
    expect(desktop.notifications.titles()).toEqual([`${BOB} is calling`]);
    expect(desktop.notifications.shown[0]?.body).toBe('Incoming voice call');
    expect(desktop.incomingWindow.ringtonePlaying).toBe(true);
  });

  it('leaves ringing to the app itself when its window has focus', () => {
    const desktop = createDesktop({ visible: true, focused: true });
    desktop.controller.report(callReports().incoming);
    expect(desktop.notifications.shown).toEqual([]);
    expect(desktop.incomingWindow.opened).toBe(0);
    expect(desktop.controller.incomingCall()).toBeNull();
  });

  it('under do-not-disturb shows no window or notification, but the call is logged and in the tray', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    desktop.settings.doNotDisturb = true;
    const call = callReports();
    desktop.controller.report(call.incoming);
    expect(desktop.notifications.shown).toEqual([]);
    expect(desktop.incomingWindow.opened).toBe(0);
    expect(desktop.tray.icon).toBe('ringing');
    expect(desktop.log).toContain('incoming call from bob during do-not-disturb: not ringing');
    desktop.controller.report(call.ended('missed'));
    expect(desktop.notifications.shown).toEqual([]);
    expect(desktop.tray.title).toBe('1');
    expect(desktop.log).toContain('missed call from bob');
  });

  it('brings the main window forward when the notification is clicked', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    desktop.controller.report(callReports().incoming);
    desktop.notifications.shown[0]?.click();
    expect(desktop.mainWindow.visible).toBe(true);
    expect(desktop.mainWindow.focused).toBe(true);
  });

  it('does not ring twice for repeated reports of the same call', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const call = callReports();
    desktop.controller.report(call.incoming);
    desktop.controller.report(call.incoming);
    expect(desktop.incomingWindow.opened).toBe(1);
    expect(desktop.notifications.shown).toHaveLength(1);
  });

  describe('the ringtone stops on every way out of ringing', () => {
    const ways: [
      string,
      (d: ReturnType<typeof createDesktop>, c: ReturnType<typeof callReports>) => void,
    ][] = [
      ['answered in the app', (d, c) => d.controller.report(c.inCall)],
      ['declined in the app', (d, c) => d.controller.report(c.ended('declined'))],
      ['cancelled by the caller', (d, c) => d.controller.report(c.ended('other'))],
      ['missed (rang out)', (d, c) => d.controller.report(c.ended('missed'))],
      [
        'accepted in the incoming window',
        (d, c) => d.controller.acceptFromIncomingWindow({ callId: c.callId, media: 'audio' }),
      ],
      [
        'declined in the incoming window',
        (d, c) => d.controller.declineFromIncomingWindow({ callId: c.callId }),
      ],
      ['accepted by shortcut', (d) => d.controller.shortcutPressed('acceptCall')],
      ['declined by shortcut', (d) => d.controller.shortcutPressed('declineCall')],
      ['replaced by another incoming call', (d) => d.controller.report(callReports().incoming)],
    ];
    it.each(ways)('%s', (_name, leave) => {
      const desktop = createDesktop({ visible: false, focused: false });
      const call = callReports();
      desktop.controller.report(call.incoming);
      expect(desktop.incomingWindow.ringtonePlaying).toBe(true);
      leave(desktop, call);
      const stillRingingFor = desktop.controller.incomingCall()?.callId;
      if (stillRingingFor) {
        // Only the replacement call may ring now, never the first one.
        expect(stillRingingFor).not.toBe(call.callId);
      } else {
        expect(desktop.incomingWindow.ringtonePlaying).toBe(false);
      }
      expect(desktop.notifications.shown[0]?.open).toBe(false);
    });
  });

  it('leaves "Missed call from Bob" and counts it until the window is shown', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const call = callReports();
    desktop.controller.report(call.incoming);
    desktop.controller.report(call.ended('missed'));
    expect(desktop.notifications.openTitles()).toEqual([`Missed call from ${BOB}`]);
    expect(desktop.tray.title).toBe('1');
    desktop.mainWindow.show();
    desktop.controller.mainWindowAttended();
    expect(desktop.tray.title).toBe('');
  });

  it('does not count a declined or answered call as missed', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    for (const endedAs of ['declined', 'answered', 'other'] as const) {
      const call = callReports();
      desktop.controller.report(call.incoming);
      desktop.controller.report(call.ended(endedAs));
    }
    expect(desktop.tray.title).toBe('');
    expect(desktop.notifications.titles()).not.toContain(`Missed call from ${BOB}`);
  });

  it('does not count a call missed while the user was looking at the app', () => {
    const desktop = createDesktop({ visible: true, focused: true });
    const call = callReports();
    desktop.controller.report(call.incoming);
    desktop.controller.report(call.ended('missed'));
    expect(desktop.tray.title).toBe('');
    expect(desktop.notifications.shown).toEqual([]);
  });
});

describe('a group call ringing while the window is hidden', () => {
  const line = `Group video call with ${isolateName('Bob')}, ${isolateName('Carol')}`;

  it('names who invites and who is in the call, and rings the incoming window for it', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const invite = groupInviteReports();
    desktop.controller.report(invite.incoming);
    expect(desktop.notifications.shown).toEqual([
      expect.objectContaining({ title: `${BOB} invites you`, body: line, open: true }),
    ]);
    expect(desktop.incomingWindow.ringtonePlaying).toBe(true);
    expect(desktop.tray.icon).toBe('ringing');
    expect(desktop.controller.incomingCall()).toEqual({
      callId: invite.callId,
      peer: { username: 'bob', displayName: 'Bob' },
      media: 'video',
      group: {
        members: [
          { username: 'bob', displayName: 'Bob' },
          { username: 'carol', displayName: 'Carol' },
        ],
      },
    });
  });

  it('says a voice group call with nobody listed plainly', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const invite = groupInviteReports(undefined, 'audio');
    desktop.controller.report({ ...invite.incoming, group: { members: [] } });
    expect(desktop.notifications.shown[0]?.body).toBe('Group voice call');
  });

  it('stops ringing once joined or declined, without counting a missed call', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    for (const endedAs of ['answered', 'declined'] as const) {
      const invite = groupInviteReports();
      desktop.controller.report(invite.incoming);
      desktop.controller.report(invite.ended(endedAs));
      expect(desktop.incomingWindow.ringtonePlaying).toBe(false);
    }
    expect(desktop.notifications.openTitles()).toEqual([]);
    expect(desktop.tray.icon).toBe('idle');
  });

  it('leaves "Missed group call from Bob" and counts it in the tray', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    const invite = groupInviteReports();
    desktop.controller.report(invite.incoming);
    desktop.controller.report(invite.ended('missed'));
    expect(desktop.incomingWindow.ringtonePlaying).toBe(false);
    expect(desktop.notifications.openTitles()).toEqual([`Missed group call from ${BOB}`]);
    expect(desktop.tray.title).toBe('1');
  });

  it('under do-not-disturb neither rings nor notifies', () => {
    const desktop = createDesktop({ visible: false, focused: false });
    desktop.settings.doNotDisturb = true;
    desktop.controller.report(groupInviteReports().incoming);
    expect(desktop.notifications.shown).toEqual([]);
    expect(desktop.incomingWindow.opened).toBe(0);
  });
});
