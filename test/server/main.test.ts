import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TestClient } from './support/TestClient';

/** The built CLI (`node dist/server/main.js`) as a real child process. */
const root = join(__dirname, '../..');
const mainJs = join(root, 'dist/server/main.js');

// Each test starts one or two node processes, which takes seconds on a busy machine.
jest.setTimeout(20_000);

let dataDir: string;
const children: ChildProcess[] = [];
const clients: TestClient[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-main-'));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.socket.terminate();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server and resolves with the fields of its one "listening" log line. */
async function launch(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [mainJs, ...args], {
    env: { ...process.env, PARLEY_PORT: '0', PARLEY_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const listening = await new Promise<{ url: string; wsUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') resolve(entry as never);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, lines, exited, stderr: () => stderr, ...listening };
}

async function connect(wsUrl: string) {
  const client = await TestClient.connect(wsUrl);
  clients.push(client);
  return client;
}

test('logs one JSON "listening" line with url and wsUrl, and serves /healthz', async () => {
  const server = await launch(['--host', '127.0.0.1']);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.wsUrl).toBe(`${server.url.replace('http', 'ws')}/ws`);
  const health = await fetch(`${server.url}/healthz`);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect(server.lines.filter((l) => l.msg === 'listening')).toHaveLength(1);
});

test('the built server says in words what is wrong with a malformed message', async () => {
  const server = await launch(['--host', '127.0.0.1']);
  const client = await connect(server.wsUrl);
  client.sendRaw(JSON.stringify({ v: 1, type: 'user.lookup', id: 'q1', username: 42 }));
  expect(await client.next((m) => m.type === 'error')).toMatchObject({
    re: 'q1',
    code: 'bad_message',
    message: 'username: Invalid input: expected string, received number',
  });
});

test('SIGKILL loses nothing: accounts and the call log are there after a restart', async () => {
  const first = await launch();
  const alice = await connect(first.wsUrl);
  await alice.register('alice');
  const bob = await connect(first.wsUrl);
  await bob.register('bob');
  const answered = randomUUID();
  await alice.invite(answered, 'bob', 'video', 'o');
  await bob.nextOf('call.invite', answered);
  bob.accept(answered, 'video', 'a');
  await alice.nextOf('call.accept', answered);
  alice.send({ v: 1, type: 'call.hangup', callId: answered });
  await bob.nextOf('call.hangup', answered);
  // A second call is still ringing when the process dies.
  const ringing = randomUUID();
  await alice.invite(ringing, 'bob', 'audio', 'o');
  await bob.nextOf('call.invite', ringing);

  first.child.kill('SIGKILL');
  await first.exited;

  const second = await launch();
  const aliceAgain = await connect(second.wsUrl);
  expect(await aliceAgain.login('alice', alice.deviceId, alice.keys)).toMatchObject({
    type: 'session',
  });
  expect(await aliceAgain.request({ type: 'calllog.list' })).toMatchObject({
    entries: [
      { callId: ringing, outcome: 'missed' },
      { callId: answered, outcome: 'answered', direction: 'outgoing' },
    ],
  });
});

test.each(['SIGKILL', 'SIGTERM'] as const)(
  'a call outlives %s: both devices come back, hang-up works, the log has the true duration',
  async (signal) => {
    const first = await launch();
    const alice = await connect(first.wsUrl);
    await alice.register('alice');
    const bob = await connect(first.wsUrl);
    await bob.register('bob');
    const callId = randomUUID();
    await alice.invite(callId, 'bob', 'video', 'o');
    await bob.nextOf('call.invite', callId);
    bob.accept(callId, 'video', 'a');
    await alice.nextOf('call.accept', callId);
    const answered = Date.now();
    // The call lasts a while before and after the restart.
    await new Promise((resolve) => setTimeout(resolve, 500));

    first.child.kill(signal);
    await first.exited;
    const second = await launch();
    const aliceAgain = await connect(second.wsUrl);
    const bobAgain = await connect(second.wsUrl);
    for (const [again, before] of [
      [aliceAgain, alice],
      [bobAgain, bob],
    ] as const) {
      const stream = { id: before.streamId, received: before.lastSeq };
      expect(await again.resume(before, stream)).toMatchObject({
        type: 'session',
        stream: { resumed: false },
        calls: [{ callId, state: 'accepted' }],
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));

    bobAgain.send({ v: 1, type: 'call.hangup', callId });
    const hungUp = Date.now();
    expect(await aliceAgain.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
    const log = await aliceAgain.request({ type: 'calllog.list' });
    expect(log).toMatchObject({ entries: [{ callId, outcome: 'answered' }] });
    if (log.type !== 'calllog') throw new Error('no call log');
    expect(Math.abs(log.entries[0]!.durationMs - (hungUp - answered))).toBeLessThan(1000);
    expect(await (await connect(second.wsUrl)).resume(bob)).toMatchObject({ calls: [] });
  },
);

/**
 * Three signed-in users whose connections negotiated group calls; Alice calls Bob, who answers.
 * `answering`: just before Bob's accept, so the server's answer time is no earlier.
 */
async function answeredCallOfThree(wsUrl: string) {
  const [alice, bob, carol] = await Promise.all(
    ['alice', 'bob', 'carol'].map(async (name) => {
      const client = await connect(wsUrl);
      await client.register(name);
      expect(await client.negotiateRooms()).toMatchObject({ features: ['rooms'] });
      return client;
    }),
  );
  const callId = randomUUID();
  await alice!.invite(callId, 'bob', 'video', 'o');
  await bob!.nextOf('call.invite', callId);
  const answering = Date.now();
  bob!.accept(callId, 'video', 'a');
  await alice!.nextOf('call.accept', callId);
  expect(await bob!.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'ok',
  });
  const ring = await carol!.nextOf('room.invite', callId);
  return { alice: alice!, bob: bob!, carol: carol!, callId, carolSlot: ring.slot, answering };
}

test('SIGKILL during a 1:1 call grown onto the SFU ends it: nobody finds it live, the log has it answered, all can call again', async () => {
  const sfu = ['--sfu-listen-ip', '127.0.0.1'];
  const first = await launch(sfu);
  const { alice, bob, carol, callId, carolSlot, answering } = await answeredCallOfThree(
    first.wsUrl,
  );
  const state = await carol.request({
    type: 'room.join',
    callId,
    share: carol.memberShare(callId, carolSlot),
  });
  expect(state).toMatchObject({ type: 'room', path: 'sfu' });
  await alice.nextOf('room.path', callId);
  await new Promise((resolve) => setTimeout(resolve, 300));

  first.child.kill('SIGKILL');
  await first.exited;
  const second = await launch(sfu);
  const restarted = Date.now();
  const again = new Map<TestClient, TestClient>();
  for (const before of [alice, bob, carol]) {
    const client = await connect(second.wsUrl);
    // Its media went with the killed server's SFU: the call is over for all three.
    expect(await client.resume(before)).toMatchObject({ type: 'session', calls: [] });
    again.set(before, client);
  }
  const aliceAgain = again.get(alice)!;
  const log = await aliceAgain.request({ type: 'calllog.list' });
  expect(log).toMatchObject({ entries: [{ callId, outcome: 'answered' }] });
  if (log.type !== 'calllog') throw new Error('no call log');
  const { durationMs } = log.entries[0]!;
  expect(durationMs).toBeGreaterThanOrEqual(300);
  // The call was answered at Bob's accept, before Carol joined: at most the time since then.
  expect(durationMs).toBeLessThanOrEqual(Date.now() - answering);
  expect(log.entries[0]!.endedAt).toBeLessThanOrEqual(Date.now());
  expect(log.entries[0]!.endedAt).toBeGreaterThanOrEqual(restarted - 5_000);
  // Nobody is busy with it any more.
  expect(await aliceAgain.invite(randomUUID(), 'carol')).toMatchObject({ type: 'ok' });
});

test('SIGKILL while a grown call still rings its third person (path p2p) keeps the 1:1 call of its two parties', async () => {
  const sfu = ['--sfu-listen-ip', '127.0.0.1'];
  const first = await launch(sfu);
  const { alice, bob, carol, callId } = await answeredCallOfThree(first.wsUrl);

  first.child.kill('SIGKILL');
  await first.exited;
  const second = await launch(sfu);
  const aliceAgain = await connect(second.wsUrl);
  const bobAgain = await connect(second.wsUrl);
  const carolAgain = await connect(second.wsUrl);
  expect(await aliceAgain.resume(alice)).toMatchObject({
    calls: [{ callId, role: 'caller', state: 'accepted', peer: { username: 'bob' } }],
  });
  expect(await bobAgain.resume(bob)).toMatchObject({ calls: [{ callId, role: 'callee' }] });
  // Carol's invitation ended with the stop: she does not ring, and is free.
  expect(await carolAgain.resume(carol)).toMatchObject({ calls: [] });
  expect(await carolAgain.collect(300, (m) => m.type.startsWith('room'))).toEqual([]);
  bobAgain.send({ v: 1, type: 'call.hangup', callId });
  expect(await aliceAgain.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
});

test('SIGTERM shuts down cleanly with exit code 0 and tells connected clients', async () => {
  const server = await launch();
  const client = await connect(server.wsUrl);
  await client.register('alice');
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect((await client.closed).code).toBe(1001);
});

test('SIGTERM with stdout gone (a closed pipe) still exits 0, says so on stderr, and keeps the data', async () => {
  const first = await launch();
  const alice = await connect(first.wsUrl);
  await alice.register('alice');
  // The log reader goes away, as `| head -c 1` or a crashed log shipper does.
  first.child.stdout!.destroy();
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(first.stderr()).toMatch(/log output failed \(EPIPE\)/);

  const second = await launch();
  const again = await connect(second.wsUrl);
  expect(await again.login('alice', alice.deviceId, alice.keys)).toMatchObject({
    type: 'session',
  });
});

/** A server whose log reader stopped reading after the listening line, with its pipe full. */
async function launchWithStalledLogReader(args: string[]) {
  const server = await launch(args);
  server.child.stdout!.pause();
  const alice = await connect(server.wsUrl);
  await alice.register('alice');
  // Each sign-in on a new connection logs a few hundred bytes: far more than a pipe holds.
  for (let round = 0; round < 20; round++) {
    const clientsThisRound = await Promise.all(
      Array.from({ length: 20 }, () => connect(server.wsUrl)),
    );
    for (const client of clientsThisRound) await client.resume(alice);
  }
  return server;
}

test('a log reader that stopped reading does not hold the stop: exit 0, and a line on stderr', async () => {
  const server = await launchWithStalledLogReader([]);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(server.stderr()).toMatch(/did not take the last log lines/);
});

test('a stop still unfinished at --shutdown-timeout-ms ends with status 1 and says why', async () => {
  const server = await launchWithStalledLogReader(['--shutdown-timeout-ms', '100']);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(1);
  expect(server.stderr()).toMatch(/shutdown did not finish within 100 ms; exiting/);
});

test('a second SIGTERM during the stop ends the process at once, with status 1', async () => {
  const server = await launchWithStalledLogReader(['--shutdown-timeout-ms', '60000']);
  const watcher = await connect(server.wsUrl);
  server.child.kill('SIGTERM');
  // Its connections closing shows the stop began; it now waits for the stalled log reader.
  await watcher.closed;
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(1);
  expect(server.stderr()).toMatch(/SIGTERM again: exiting before the shutdown finished/);
});

test('bad flags print one clear line and exit with 2', () => {
  for (const args of [['--port', 'eighty'], ['--nope'], ['--tls-cert', 'x.pem']]) {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [mainJs, ...args], {
        stdio: 'pipe',
        env: { ...process.env, PARLEY_DATA: dataDir },
      });
    } catch (error) {
      const failed = error as { status: number; stderr: Buffer };
      status = failed.status;
      stderr = failed.stderr.toString();
    }
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^parley-server: /);
  }
});
