import type { ParleyIncomingBridge } from '../../protocol/incomingIpc';
import { groupCallLine, isolateName, withoutBidiControls } from '../../protocol/nameText';

/**
 * The incoming-call window's page: shows who is calling, rings, and answers through
 * `window.parleyIncoming`. Main closes the window when the call stops ringing for any reason.
 */
function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`incoming page: #${id} is missing`);
  return found as T;
}

const bridge = (window as unknown as { parleyIncoming: ParleyIncomingBridge }).parleyIncoming;
const ringtone = element<HTMLAudioElement>('ringtone');
const buttons = {
  decline: element<HTMLButtonElement>('decline'),
  audio: element<HTMLButtonElement>('accept-audio'),
  video: element<HTMLButtonElement>('accept-video'),
};

function stopRinging(): void {
  ringtone.pause();
  ringtone.currentTime = 0;
}

function setEnabled(enabled: boolean): void {
  for (const button of Object.values(buttons)) button.disabled = !enabled;
}

function showEnded(text: string): void {
  stopRinging();
  setEnabled(false);
  element('call-kind').textContent = text;
}

async function answer(send: () => Promise<null>): Promise<void> {
  stopRinging();
  setEnabled(false);
  try {
    await send();
  } catch {
    showEnded('This call is no longer ringing');
  }
}

async function start(): Promise<void> {
  // The preload checks main's reply against the IncomingCall schema before it gets here.
  const call = await bridge.getCall();
  if (!call) {
    showEnded('This call is no longer ringing');
    return;
  }
  // The name element isolates it (incoming.css); plain-text places get isolateName.
  const name = withoutBidiControls(call.peer.displayName);
  const nameElement = element('caller-name');
  nameElement.textContent = name;
  nameElement.title = name;
  element('caller-username').textContent = `@${call.peer.username}`;
  element('avatar').textContent = ([...name][0] ?? '?').toUpperCase();
  const { callId, group } = call;
  if (group) {
    // Joining a group call is accepting it, with the media it was started with.
    const line = groupCallLine(call.media, group.members);
    element('call-kind').textContent = line;
    element('call-kind').title = line;
    document.title = `${isolateName(name)} (@${call.peer.username}) invites you to a group call — Parley`;
    buttons.audio.textContent = 'Join';
    buttons.video.hidden = true;
  } else {
    element('call-kind').textContent =
      call.media === 'video' ? 'Incoming video call' : 'Incoming voice call';
    document.title = `${isolateName(name)} (@${call.peer.username}) is calling — Parley`;
  }
  buttons.decline.addEventListener('click', () => void answer(() => bridge.decline({ callId })));
  buttons.audio.addEventListener(
    'click',
    () => void answer(() => bridge.accept({ callId, media: group ? call.media : 'audio' })),
  );
  buttons.video.addEventListener(
    'click',
    () => void answer(() => bridge.accept({ callId, media: 'video' })),
  );
  setEnabled(true);
  // Main allows autoplay in this window; if playback is refused the window still shows the call.
  ringtone.play().catch(() => undefined);
}

void start().catch(() => showEnded('Could not load the call'));
