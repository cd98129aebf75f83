import type { BrowserContext } from 'playwright-core';
import type { PagePort } from './pagePort';

/**
 * Records every screen a page has shown (the `data-testid` of each `screen-*` element that was
 * ever attached), so a test can assert that a screen never appeared, not only that it is gone.
 */

interface RecordingWindow {
  __screensSeen: Set<string>;
}

/** Runs in the page before any of its scripts. Must stay self-contained (it is serialized). */
export function recordScreens(): void {
  const seen = new Set<string>();
  Object.defineProperty(window, '__screensSeen', { value: seen });
  const note = (node: Node) => {
    if (!(node instanceof Element)) return;
    for (const element of [node, ...node.querySelectorAll('[data-testid^="screen-"]')]) {
      const id = element.getAttribute('data-testid');
      if (id?.startsWith('screen-')) seen.add(id);
    }
  };
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes') note(mutation.target);
      mutation.addedNodes.forEach(note);
    }
  }).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-testid'],
  });
}

export async function recordScreensIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(recordScreens);
}

export function readScreensSeen(page: PagePort): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as RecordingWindow).__screensSeen], undefined);
}
