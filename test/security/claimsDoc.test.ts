import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../..');
const docsDir = join(repoRoot, 'docs');

interface TestLink {
  claim: string;
  /** The link target, relative to docs/. */
  target: string;
  /** A test's name (or the start of one) quoted right after the link, if any. */
  testName: string | null;
}

/** The rows of the "Claims and the tests that check them" table in docs/security.md. */
function claimRows(): string[] {
  const doc = readFileSync(join(docsDir, 'security.md'), 'utf8');
  const heading = '## Claims and the tests that check them';
  const start = doc.indexOf(heading);
  if (start < 0) throw new Error(`docs/security.md has no "${heading}" section`);
  const section = doc.slice(start, doc.indexOf('\n## ', start + heading.length));
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(claim|-+)\s*\|/.test(line));
}

function testLinks(row: string): TestLink[] {
  const [, claimCell = '', testCell = ''] = row.split('|');
  const pattern = /\[`[^`]+`\]\(([^)\s]+)\)(?: \("([^"]+)"\))?/g;
  return [...testCell.matchAll(pattern)].map((match) => ({
    claim: claimCell.trim(),
    target: match[1] ?? '',
    testName: match[2] ?? null,
  }));
}

describe('docs/security.md, claims and the tests that check them', () => {
  it('links every claim to at least one test', () => {
    const rows = claimRows();
    expect(rows.length).toBeGreaterThan(30);
    const unlinked = rows.filter((row) => testLinks(row).length === 0);
    expect(unlinked).toEqual([]);
  });

  it('links only tests that exist, and each quoted test name is in the file it follows', () => {
    const broken: string[] = [];
    for (const link of claimRows().flatMap(testLinks)) {
      const path = join(docsDir, link.target);
      if (!link.target.startsWith('../test/') || !existsSync(path)) {
        broken.push(`${link.claim}: no test at ${link.target}`);
      } else if (link.testName !== null) {
        const text = statSync(path).isFile() ? readFileSync(path, 'utf8') : '';
        if (!text.includes(link.testName)) {
          broken.push(`${link.claim}: ${link.target} has no test "${link.testName}"`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
