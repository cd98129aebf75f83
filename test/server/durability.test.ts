import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgementKinds } from '../../bench/durability/acknowledgements';
import { runDurabilityLoop } from '../../bench/durability/durabilityLoop';

/**
 * Nothing acknowledged is lost: the real server process is killed with SIGKILL the moment a
 * client receives each kind of acknowledgement, and every acknowledged fact is found after a
 * restart on the same data folder. The long version is the `durability` benchmark.
 */
const mainJs = join(__dirname, '../../dist/server/main.js');
const ROUNDS_PER_KIND = 3;

// 49 server processes, each started, used and killed: about 30 s, three or four minutes when busy.
jest.setTimeout(480_000);

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-durability-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test(`SIGKILL right after each kind of acknowledgement (${ROUNDS_PER_KIND} rounds each) loses nothing`, async () => {
  const tallies = await runDurabilityLoop({
    mainJs,
    dataDir,
    kinds: acknowledgementKinds,
    roundsPerKind: ROUNDS_PER_KIND,
  });
  expect(tallies.flatMap((tally) => tally.problems)).toEqual([]);
  for (const tally of tallies) {
    expect(tally).toMatchObject({ acknowledged: ROUNDS_PER_KIND, found: ROUNDS_PER_KIND });
  }
});
