// Prints `N passed, N failed, N skipped` from jest's JSON results (not from jest's own summary).
// A suite that failed to run counts as one failure; a missing result file counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

// The namespace lab runs only as root (scripts/test-session.sh); as root its results must exist.
const files = [
  'test-results/node.json',
  'test-results/e2e.json',
  ...(process.getuid?.() === 0 ? ['test-results/netlab.json'] : []),
  'test-results/electron.json',
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`test-summary: ${file} is missing (jest did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
