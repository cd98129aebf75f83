import { login, register, registerMany } from './accounts';
import { BenchSocket } from './benchSocket';
import { total } from './counts';
import { emptyFuzzStats, mergeFuzzStats, type FuzzLane, type FuzzStats } from './fuzzLanes';
import { assertServerAnswers, round, sleep } from './measure';
import { addedContact, contactsInListReply, largestContactsListFields } from './contactReplies';
import type { ServerUnderTest } from './serverUnderTest';
import { runInWorker } from './workerThreads';

export interface FuzzConfig {
  /** Fuzz frames per pass; two identical passes run. */
  messagesPerPass: number;
  lanes: number;
  /** Lanes that sign in (each as its own account); the others stay signed out. */
  signedInLanes: number;
  messagesPerConnection: number;
  workers: number;
  settleMs: number;
  seed: number;
}

interface PassResult extends FuzzStats {
  seconds: number;
  messagesPerSecond: number;
  serverCpuSeconds: number;
  rssAfterSettleMiB: number;
}

export interface FuzzResult {
  messagesPerPass: number;
  lanes: number;
  signedInLanes: number;
  workers: number;
  rssBeforeMiB: number;
  passes: PassResult[];
  rssAfterPass1MiB: number;
  rssAfterPass2MiB: number;
  vmHwmMiB: number;
  pass1GrowthMiB: number;
  pass2GrowthMiB: number;
  /** RSS after the second pass over RSS after the first: 1.0 means the second added nothing. */
  secondPassRatio: number;
  refusableAccepted: number;
}

/**
 * At least `messagesPerPass` hostile frames, then the same again on the same server, each pass
 * spread over lanes paced within the per-connection rate limit; RSS after each pass once the
 * server has had `settleMs` to settle. Then a normal client must still be served correctly.
 */
export async function fuzz(server: ServerUnderTest, config: FuzzConfig): Promise<FuzzResult> {
  const accounts = await registerMany(server.wsUrl, 'fuzz', config.signedInLanes);
  const knownUsernames = accounts.map((account) => account.username);
  const perLane = Math.ceil(config.messagesPerPass / config.lanes);
  const lanes: FuzzLane[] = Array.from({ length: config.lanes }, (_, index) => ({
    index,
    device: accounts[index] ?? null,
    messages: perLane,
  }));
  await sleep(config.settleMs);
  const rssBeforeMiB = server.rssMiB();
  const passes: PassResult[] = [];
  for (let pass = 1; pass <= 2; pass++) {
    const cpuBefore = server.cpuSeconds();
    const started = performance.now();
    const shares = await Promise.all(
      Array.from({ length: config.workers }, (_, worker) =>
        runInWorker({
          job: 'fuzz',
          wsUrl: server.wsUrl,
          seed: config.seed,
          lanes: lanes.filter((lane) => lane.index % config.workers === worker),
          messagesPerConnection: config.messagesPerConnection,
          knownUsernames,
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    server.assertAlive(`fuzz pass ${pass}`);
    const stats = shares.reduce(mergeFuzzStats, emptyFuzzStats());
    const serverCpuSeconds = round(server.cpuSeconds() - cpuBefore);
    await sleep(config.settleMs);
    const sent = total(stats.sent);
    passes.push({
      ...stats,
      seconds: round(seconds),
      messagesPerSecond: Math.round(sent / seconds),
      serverCpuSeconds,
      rssAfterSettleMiB: round(server.rssMiB()),
    });
    console.log(
      `fuzz pass ${pass}: ${sent} frames in ${round(seconds)} s (${Math.round(sent / seconds)}/s), ` +
        `RSS ${round(server.rssMiB())} MiB`,
    );
  }
  await assertServerAnswers(server, 'the fuzz');
  await assertServedCorrectly(server, accounts[0]!.username, accounts[1]!);

  const [first, second] = passes as [PassResult, PassResult];
  return {
    messagesPerPass: total(first.sent),
    lanes: config.lanes,
    signedInLanes: config.signedInLanes,
    workers: config.workers,
    rssBeforeMiB: round(rssBeforeMiB),
    passes,
    rssAfterPass1MiB: first.rssAfterSettleMiB,
    rssAfterPass2MiB: second.rssAfterSettleMiB,
    vmHwmMiB: round(server.peakRssMiB()),
    pass1GrowthMiB: round(first.rssAfterSettleMiB - rssBeforeMiB),
    pass2GrowthMiB: round(second.rssAfterSettleMiB - first.rssAfterSettleMiB),
    secondPassRatio: round(second.rssAfterSettleMiB / first.rssAfterSettleMiB, 3),
    refusableAccepted: total(first.refusableAccepted) + total(second.refusableAccepted),
  };
}

/**
 * A new account and a device the fuzz used: sign-in, lookup, adding and listing a contact and
 * ping all answer as the protocol says. Throws otherwise.
 */
async function assertServedCorrectly(
  server: ServerUnderTest,
  contactName: string,
  fuzzedDevice: Parameters<typeof login>[1],
): Promise<void> {
  const fresh = await BenchSocket.open(server.wsUrl);
  const fuzzed = await BenchSocket.open(server.wsUrl);
  try {
    await register(fresh, 'afterfuzz');
    const user = await fresh.expect('user.lookup', { username: contactName }, 'user');
    if (user.username !== contactName) throw new Error(`user.lookup answered ${user.username}`);
    const added = await fresh.request('contacts.add', { username: contactName });
    if (!addedContact(added, contactName))
      throw new Error(`contacts.add answered ${JSON.stringify(added)}`);
    const list = await fresh.expect('contacts.list', largestContactsListFields(), 'contacts');
    const names = contactsInListReply(list);
    if (names.length !== 1 || names[0] !== contactName)
      throw new Error(`contacts.list: ${names.join(', ')}`);
    await fresh.expect('ping', {}, 'ok');
    await login(fuzzed, fuzzedDevice);
    await fuzzed.expect('devices.list', {}, 'devices');
  } catch (error) {
    throw new Error(
      `after the fuzz, a normal client is not served correctly: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    fresh.terminate();
    fuzzed.terminate();
  }
}
