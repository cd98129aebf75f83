import type { ParleyPickerBridge, PickerChoice, ScreenSource } from '../../protocol/pickerIpc';

/**
 * The screen picker window's page: shows the screens and windows of the one pending
 * screen-share request and sends the user's click through `window.parleyPicker`. Window titles
 * are whatever other programs chose, so they are only ever set as text. Main closes this window
 * once the request is answered.
 */
function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`picker page: #${id} is missing`);
  return found as T;
}

const bridge = (window as unknown as { parleyPicker: ParleyPickerBridge }).parleyPicker;
const status = element('status');
const list = element('sources');
const audio = element<HTMLInputElement>('audio');
const cancel = element<HTMLButtonElement>('cancel');
/** Only PNG thumbnails as data URLs are shown; anything else is left out. */
const thumbnailPrefix = 'data:image/png;base64,';

let answered = false;

async function choose(sourceId: string | null): Promise<void> {
  if (answered) return;
  answered = true;
  for (const button of document.querySelectorAll('button')) button.disabled = true;
  const choice: PickerChoice = { sourceId, audio: audio.checked };
  try {
    await bridge.choose(choice);
  } catch {
    status.textContent = 'This request has ended.';
  }
}

function optionFor(source: ScreenSource): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'source';
  button.dataset.testid = `picker-source-${source.id}`;
  button.dataset.kind = source.kind;
  if (source.thumbnail.startsWith(thumbnailPrefix)) {
    const image = document.createElement('img');
    image.alt = '';
    image.src = source.thumbnail;
    button.append(image);
  }
  const name = document.createElement('span');
  name.className = 'name';
  name.dir = 'auto';
  name.textContent = source.kind === 'screen' ? `Screen: ${source.name}` : source.name;
  button.append(name);
  button.addEventListener('click', () => void choose(source.id));
  return button;
}

async function show(): Promise<void> {
  let sources: ScreenSource[];
  try {
    sources = await bridge.getSources();
  } catch {
    status.textContent = 'This request has ended.';
    return;
  }
  status.textContent = sources.length === 0 ? 'Nothing to share was found.' : '';
  list.replaceChildren(...sources.map(optionFor));
}

cancel.addEventListener('click', () => void choose(null));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') void choose(null);
});
void show();
