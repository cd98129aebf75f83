import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol';
import { login, registerMany, type BenchDevice } from '../abuse/accounts';
import { BenchSocket, type Msg } from '../abuse/benchSocket';
import { bump, replyKey } from '../abuse/counts';
import { sleep } from '../abuse/measure';
import { callSide } from './callPayloads';
import type {
  CallPhaseResult,
  GeneratorCommand,
  GeneratorReply,
  LookupPhaseResult,
} from './generatorProtocol';
import { SignedInClient } from './signedInClient';

/** Connections a generator opens and signs in at once. */
const SIGN_IN_CONCURRENCY = 100;
/** The pacing timer's period: setups and lookups due by then go out together. */
const PACING_TICK_MS = 2;
/** Offers and answers made up front and reused with fresh call ids. */
const PAYLOAD_POOL = 64;
/** How long a lookup phase waits for answers after its last frame. */
const LOOKUP_DRAIN_MS = 5000;

interface Setup {
  callId: string;
  caller: SignedInClient;
  callee: SignedInClient;
  sentAt: number;
}

/**
 * One load-generator process: it holds a share of the bench's clients, signed in, and on command
 * runs paced call setups between pairs of them, or paced small requests. Both ends of every call
 * live in the same process, so a ring is timed on one clock (`performance.now()`).
 */
class Generator {
  private devices: BenchDevice[] = [];
  private clients: SignedInClient[] = [];
  /** Callers of pairs whose setup failed or never finished: left out of every later phase. */
  private readonly retired = new Set<SignedInClient>();
  private url = '';

  async register(url: string, prefix: string, count: number): Promise<void> {
    this.url = url;
    this.devices = await registerMany(url, prefix, count);
  }

  async signIn(): Promise<void> {
    this.clients = new Array<SignedInClient>(this.devices.length);
    let next = 0;
    const lane = async () => {
      for (let n = next++; n < this.devices.length; n = next++) {
        const socket = await BenchSocket.open(this.url);
        await login(socket, this.devices[n]!);
        this.clients[n] = new SignedInClient(socket, this.devices[n]!.username);
      }
    };
    await Promise.all(Array.from({ length: SIGN_IN_CONCURRENCY }, lane));
  }

  async calls(setupsPerSecond: number, durationMs: number, drainMs: number) {
    const offers = Array.from({ length: PAYLOAD_POOL }, () => callSide('caller'));
    const answers = Array.from({ length: PAYLOAD_POOL }, () => callSide('callee'));
    // First in, first out: a pair rests as long as possible between its calls.
    const idle: [SignedInClient, SignedInClient][] = [];
    for (let n = 0; n + 1 < this.clients.length; n += 2) {
      if (!this.retired.has(this.clients[n]!)) idle.push([this.clients[n]!, this.clients[n + 1]!]);
    }
    const active = new Map<string, Setup>();
    const result: CallPhaseResult = {
      offered: 0,
      started: 0,
      completed: 0,
      ringMs: [],
      setupMs: [],
      skippedNoIdlePair: 0,
      failures: {},
      unfinished: 0,
      retiredPairs: 0,
    };
    const finish = (setup: Setup, failure: string | null) => {
      if (!active.delete(setup.callId)) return;
      if (failure) {
        // The server may still hold the pair in a call: calling with it again would only fail.
        bump(result.failures, failure);
        this.retired.add(setup.caller);
        return;
      }
      result.completed += 1;
      result.setupMs.push(performance.now() - setup.sentAt);
      idle.push([setup.caller, setup.callee]);
    };
    const onNotice = (client: SignedInClient, message: Msg) => {
      const setup = typeof message.callId === 'string' ? active.get(message.callId) : undefined;
      if (!setup) return;
      const { callId } = setup;
      if (message.type === 'error') finish(setup, replyKey(message));
      else if (client === setup.callee && message.type === 'call.invite') {
        result.ringMs.push(performance.now() - setup.sentAt);
        client.sendNotice('call.ringing', { callId });
        const answer = answers[result.ringMs.length % PAYLOAD_POOL]!;
        client.sendNotice('call.accept', { callId, media: 'video', ...answer });
      } else if (client === setup.caller && message.type === 'call.accept') {
        client.sendNotice('call.hangup', { callId });
      } else if (client === setup.callee && message.type === 'call.hangup') {
        finish(setup, null);
      } else if (message.type !== 'call.ringing') {
        finish(setup, message.type);
      }
    };
    for (const client of this.clients) client.onNotice = (message) => onNotice(client, message);

    const start = ([caller, callee]: [SignedInClient, SignedInClient]) => {
      const setup: Setup = { callId: randomUUID(), caller, callee, sentAt: performance.now() };
      active.set(setup.callId, setup);
      result.started += 1;
      const offer = offers[result.started % PAYLOAD_POOL]!;
      caller.socket
        .request('call.invite', {
          callId: setup.callId,
          to: callee.username,
          media: 'video',
          ...offer,
        })
        .then(
          (reply) => {
            if (reply.type !== 'ok') finish(setup, `invite ${replyKey(reply)}`);
          },
          () => finish(setup, 'invite unanswered'),
        );
    };
    await paced(setupsPerSecond, durationMs, () => {
      result.offered += 1;
      const pair = idle.shift();
      if (pair) start(pair);
      else result.skippedNoIdlePair += 1;
    });
    const drainUntil = performance.now() + drainMs;
    while (active.size > 0 && performance.now() < drainUntil) await sleep(20);
    result.unfinished = active.size;
    for (const setup of active.values()) this.retired.add(setup.caller);
    result.retiredPairs = this.retired.size;
    for (const client of this.clients) client.onNotice = () => {};
    return result;
  }

  async lookups(command: Extract<GeneratorCommand, { kind: 'lookups' }>) {
    const result: LookupPhaseResult = { sent: 0, answered: 0, otherReplies: {} };
    const expected = command.target === 'parley' ? 'user' : 'user.lookup';
    const onReply = (message: Msg) => {
      if (message.type === expected) result.answered += 1;
      else bump(result.otherReplies, replyKey(message));
    };
    let senders: ((text: string) => void)[];
    let close: () => void;
    if (command.target === 'parley') {
      const clients = this.clients.slice(0, command.connections);
      for (const client of clients) client.onNotice = onReply;
      senders = clients.map((client) => (text: string) => client.sendRaw(text));
      close = () => clients.forEach((client) => (client.onNotice = () => {}));
    } else {
      const sockets = await Promise.all(
        Array.from({ length: command.connections }, () => openEcho(command.echoUrl, onReply)),
      );
      senders = sockets.map((ws) => (text: string) => ws.send(text));
      close = () => sockets.forEach((ws) => ws.terminate());
    }
    // Each frame asks for a user that exists, as a client looking someone up does.
    const username = this.devices[0]!.username;
    await paced(command.messagesPerSecond, command.durationMs, () => {
      const n = result.sent++;
      senders[n % senders.length]!(
        JSON.stringify({ v: PROTOCOL_VERSION, type: 'user.lookup', id: `l${n}`, username }),
      );
    });
    const drainUntil = performance.now() + LOOKUP_DRAIN_MS;
    while (result.answered < result.sent && performance.now() < drainUntil) await sleep(20);
    close();
    return result;
  }
}

function openEcho(url: string, onReply: (message: Msg) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('message', (data) => onReply(JSON.parse(data.toString()) as Msg));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Calls `act` `perSecond` times a second on a fixed schedule for `durationMs`. */
async function paced(perSecond: number, durationMs: number, act: () => void): Promise<void> {
  const startedAt = performance.now();
  const total = Math.round((perSecond * durationMs) / 1000);
  let done = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - startedAt) * perSecond) / 1000));
      while (done < due) {
        done += 1;
        act();
      }
      if (done >= total) {
        clearInterval(timer);
        resolve();
      }
    }, PACING_TICK_MS);
  });
}

/** The generator process's side of the IPC channel: one command at a time, one reply each. */
export function runGeneratorProcess(): void {
  const generator = new Generator();
  // Without the bench there is nobody to report to: close every socket by exiting.
  process.on('disconnect', () => process.exit(0));
  const reply = (message: GeneratorReply) => process.send!(message);
  process.on('message', (command: GeneratorCommand) => {
    const run = async (): Promise<GeneratorReply> => {
      switch (command.kind) {
        case 'register':
          await generator.register(command.url, command.prefix, command.clients);
          return { kind: 'registered' };
        case 'signIn':
          await generator.signIn();
          return { kind: 'signedIn' };
        case 'calls':
          return {
            kind: 'calls',
            result: await generator.calls(
              command.setupsPerSecond,
              command.durationMs,
              command.drainMs,
            ),
          };
        case 'lookups':
          return { kind: 'lookups', result: await generator.lookups(command) };
      }
    };
    run().then(reply, (error: unknown) =>
      reply({
        kind: 'failed',
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    );
  });
}
