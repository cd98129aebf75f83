import type { Locator } from 'playwright-core';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Where a shown name sits and how it is drawn, as the page lays it out. */
export interface NameLayout {
  name: Box;
  /** The element the name must stay inside (its row, its screen, its notice). */
  container: Box;
  /** The boxes the name must not cover: call buttons, the call-log time, ... */
  others: { selector: string; box: Box }[];
  viewportWidth: number;
  /** The name's text is wider than its box: cut. */
  cut: boolean;
  textOverflow: string;
  /** The name is a <bdi> or has unicode-bidi: isolate (itself or an ancestor below the container). */
  isolated: boolean;
}

/**
 * Reads the layout of the name element `name` inside `container` (a CSS selector for its closest
 * ancestor), and the boxes of the elements matching `avoid` inside that container.
 */
export function readNameLayout(
  name: Locator,
  container: string,
  avoid: string[] = [],
): Promise<NameLayout> {
  return name.evaluate(
    (element, { container, avoid }) => {
      const box = (e: Element) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      };
      const outer = element.closest(container);
      if (!outer) throw new Error(`the name is not inside ${container}`);
      let isolated = false;
      for (let e: Element | null = element; e && e !== outer; e = e.parentElement) {
        if (e.tagName === 'BDI' || getComputedStyle(e).unicodeBidi === 'isolate') isolated = true;
      }
      return {
        name: box(element),
        container: box(outer),
        others: avoid.flatMap((selector) => {
          const found = [...outer.querySelectorAll(selector)];
          if (found.length === 0) throw new Error(`no ${selector} inside ${container}`);
          return found.map((e) => ({ selector, box: box(e) }));
        }),
        viewportWidth: window.innerWidth,
        cut: element.scrollWidth > element.clientWidth,
        textOverflow: getComputedStyle(element).textOverflow,
        isolated,
      };
    },
    { container, avoid },
  );
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * What is wrong with how a name is shown, in words (empty when nothing is). `cut`: the name
 * cannot fit, so it must be shown cut (how wide it is otherwise depends on the fonts installed).
 */
export function nameLayoutProblems(layout: NameLayout, expect: { cut: boolean }): string[] {
  const { name, container } = layout;
  const problems: string[] = [];
  const slack = 0.5; // sub-pixel rounding
  if (name.left < container.left - slack || name.right > container.right + slack) {
    problems.push(`runs out of its container: ${JSON.stringify({ name, container })}`);
  }
  if (name.left < -slack || name.right > layout.viewportWidth + slack) {
    problems.push(`runs out of the window (${layout.viewportWidth} px): ${JSON.stringify(name)}`);
  }
  for (const other of layout.others) {
    if (overlaps(name, other.box)) problems.push(`covers ${other.selector}`);
  }
  if (layout.textOverflow !== 'ellipsis') {
    problems.push(`would not be cut with an ellipsis (text-overflow: ${layout.textOverflow})`);
  }
  if (expect.cut && !layout.cut) problems.push('is shown whole although it cannot fit');
  if (!layout.isolated) problems.push('is not isolated from the text around it');
  return problems;
}

/**
 * How the sentence around the one name in `sentence` is drawn: the right edge of the last letter
 * before the name, the name's box, and the left edges of the letters after it, line by line.
 */
export function readSentenceAroundName(
  sentence: Locator,
): Promise<{ beforeRight: number; name: Box; afterLines: number[][] }> {
  return sentence.evaluate((element) => {
    const name = element.querySelector('.name');
    if (!name) throw new Error('no name in the sentence');
    const letterBoxes = (node: Node | null) => {
      if (!node || node.nodeType !== Node.TEXT_NODE) throw new Error('no text beside the name');
      const text = node.textContent ?? '';
      const boxes: DOMRect[] = [];
      for (let i = 0; i < text.length; i += 1) {
        if (text[i]?.trim() === '') continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (rect) boxes.push(rect);
      }
      return boxes;
    };
    const before = letterBoxes(name.previousSibling);
    const after = letterBoxes(name.nextSibling);
    // The letters after the name, line by line in reading order (a line starts when top moves).
    const afterLines: number[][] = [];
    let top = Number.NaN;
    for (const rect of after) {
      if (rect.top !== top) afterLines.push([]);
      top = rect.top;
      afterLines[afterLines.length - 1]?.push(rect.left);
    }
    const r = name.getBoundingClientRect();
    return {
      beforeRight: before[before.length - 1]?.right ?? Number.NaN,
      name: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
      afterLines,
    };
  });
}

/**
 * What is out of order in a left-to-right sentence around a name (empty when nothing is): the words
 * before it end before it starts, the words after it start after it ends, and every line of them
 * runs left to right.
 */
export function sentenceOrderProblems(
  sentence: Awaited<ReturnType<typeof readSentenceAroundName>>,
): string[] {
  const slack = 0.5;
  const problems: string[] = [];
  const [firstLine, ...otherLines] = sentence.afterLines;
  if (!(sentence.beforeRight <= sentence.name.left + slack)) {
    problems.push(`the words before the name end at ${sentence.beforeRight}, after it starts`);
  }
  if (!firstLine || firstLine.length === 0) return [...problems, 'no words after the name'];
  if (!(firstLine[0]! >= sentence.name.right - slack)) {
    problems.push(`the words after the name start at ${firstLine[0]}, before it ends`);
  }
  for (const line of [firstLine, ...otherLines]) {
    if (line.some((left, i) => i > 0 && left < line[i - 1]!)) {
      problems.push(`letters drawn right to left: ${JSON.stringify(line)}`);
    }
  }
  return problems;
}
