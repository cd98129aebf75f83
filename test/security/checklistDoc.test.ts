import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../..');
const checklistItemCount = 20;

interface CodeReference {
  item: string;
  file: string;
  code: string;
}

/** The rows of the "Electron security checklist" table in docs/security.md. */
async function checklistRows(): Promise<string[]> {
  const doc = await readFile(join(repoRoot, 'docs', 'security.md'), 'utf8');
  const start = doc.indexOf('## Electron security checklist');
  if (start < 0) throw new Error('docs/security.md has no "Electron security checklist" section');
  const section = doc.slice(start, doc.indexOf('\n### ', start));
  return section.split('\n').filter((line) => /^\|\s*\d+\s*\|/.test(line));
}

/** Every `file`: `code` pair of a row (code may be fenced with double backticks). */
function codeReferences(row: string): CodeReference[] {
  const item = row.split('|')[2]?.trim() ?? row;
  const pattern = /`([\w./-]+\.(?:ts|cjs|mjs|yml|json|html))`: (?:`` (.+?) ``|`([^`]+)`)/g;
  return [...row.matchAll(pattern)].map((match) => ({
    item,
    file: match[1] ?? '',
    code: match[2] ?? match[3] ?? '',
  }));
}

describe('docs/security.md, Electron security checklist', () => {
  it('has a row for every checklist item, 1 to 20', async () => {
    const numbers = (await checklistRows()).map((row) => Number(row.split('|')[1]));
    expect(numbers).toEqual(Array.from({ length: checklistItemCount }, (_, i) => i + 1));
  });

  it('quotes code that is really in the file it names', async () => {
    const references = (await checklistRows()).flatMap(codeReferences);
    expect(references.length).toBeGreaterThan(checklistItemCount);
    const missing: string[] = [];
    for (const reference of references) {
      const text = await readFile(join(repoRoot, reference.file), 'utf8').catch(() => '');
      if (!text.includes(reference.code)) {
        missing.push(`${reference.item}: ${reference.file} lacks ${reference.code}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
