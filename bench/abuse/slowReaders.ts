import { PROTOCOL_VERSION } from '../../protocol';
import { linkDevice, register, registerMany } from './accounts';
import { BenchSocket } from './benchSocket';
import { assertServerAnswers, round, rssSampler, sleep } from './measure';
import { addedContact, contactsInListReply, largestContactsListFields } from './contactReplies';
import type { ServerUnderTest } from './serverUnderTest';

export interface SlowReadersConfig {
  contacts: number;
  attackers: number;
  attackMs: number;
  /** How long the bench reads what was queued for each attacker, to see how it was closed. */
  drainMs: number;
  settleMs: number;
}

export interface SlowReadersResult {
  contacts: number;
  /** Contacts in each reply: the largest page the server gives. */
  contactsPerReply: number;
  attackers: number;
  attackSeconds: number;
  requestsSent: number;
  /** What the attackers read once they resumed, within drainMs: replies the server had queued. */
  drainedMiB: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  vmHwmMiB: number;
  rssAfterCloseMiB: number;
  settleSeconds: number;
  /** Per attacker: how its connection ended (`open` when the server never closed it). */
  closes: string[];
  closedByServer: number;
  serverCpuSeconds: number;
  peakOverBefore: number;
  afterOverBefore: number;
}

/**
 * One account with `contacts` contacts, signed in on `attackers` devices; each device asks for
 * its contact list within the rate limit and never reads the replies (its socket is paused), so
 * everything the server answers queues up on the server's side.
 */
export async function slowReaders(
  server: ServerUnderTest,
  config: SlowReadersConfig,
): Promise<SlowReadersResult> {
  const url = server.wsUrl;
  const contacts = await registerMany(url, 'contact', config.contacts);
  const devices = [await BenchSocket.open(url)];
  const owner = await register(devices[0]!, 'owner');
  while (devices.length < config.attackers) {
    const socket = await BenchSocket.open(url);
    await linkDevice(devices[0]!, owner, socket);
    devices.push(socket);
  }
  // Every device adds its share, so that setup needs no connection over its rate limit.
  await Promise.all(
    contacts.map(async (contact, n) => {
      const reply = await devices[n % devices.length]!.request('contacts.add', {
        username: contact.username,
      });
      if (!addedContact(reply, contact.username)) {
        throw new Error(`contacts.add ${contact.username}: ${JSON.stringify(reply).slice(0, 200)}`);
      }
    }),
  );
  const list = await devices[0]!.expect('contacts.list', largestContactsListFields(), 'contacts');
  const listed = contactsInListReply(list).length;
  console.log(`slow readers: ${listed} contacts listed, ${devices.length} devices signed in`);
  await sleep(2000);

  const rssBeforeMiB = server.rssMiB();
  const cpuBefore = server.cpuSeconds();
  const sampler = rssSampler(server);
  let requestsSent = 0;
  const until = performance.now() + config.attackMs;
  await Promise.all(
    devices.map(async (socket, n) => {
      socket.ws.pause();
      for (let i = 0; socket.isOpen && performance.now() < until; i++) {
        await socket.gate.take();
        const request = {
          v: PROTOCOL_VERSION,
          type: 'contacts.list',
          id: `s${n}_${i}`,
          ...largestContactsListFields(),
        };
        socket.ws.send(JSON.stringify(request));
        requestsSent++;
      }
    }),
  );
  const rssPeakMiB = sampler.stop();
  const vmHwmMiB = server.peakRssMiB();
  server.assertAlive('the slow readers');

  // Read what was queued for a while to reach a close frame the server may have sent, then go.
  let drainedBytes = 0;
  for (const socket of devices) {
    socket.ws.removeAllListeners('message');
    socket.ws.on('message', (data: Buffer) => (drainedBytes += data.length));
    socket.ws.resume();
  }
  await Promise.race([Promise.all(devices.map((socket) => socket.closed)), sleep(config.drainMs)]);
  const closes = devices.map((socket) =>
    socket.closeInfo ? `${socket.closeInfo.code} ${socket.closeInfo.reason}`.trim() : 'open',
  );
  const closedByServer = closes.filter((close) => close !== 'open').length;
  for (const socket of devices) socket.terminate();
  await sleep(config.settleMs);
  const rssAfterCloseMiB = server.rssMiB();
  await assertServerAnswers(server, 'the slow readers');
  return {
    contacts: contacts.length,
    contactsPerReply: listed,
    attackers: devices.length,
    attackSeconds: config.attackMs / 1000,
    requestsSent,
    drainedMiB: round(drainedBytes / 2 ** 20),
    rssBeforeMiB: round(rssBeforeMiB),
    rssPeakMiB: round(rssPeakMiB),
    vmHwmMiB: round(vmHwmMiB),
    rssAfterCloseMiB: round(rssAfterCloseMiB),
    settleSeconds: config.settleMs / 1000,
    closes,
    closedByServer,
    serverCpuSeconds: round(server.cpuSeconds() - cpuBefore),
    peakOverBefore: round(rssPeakMiB / rssBeforeMiB, 2),
    afterOverBefore: round(rssAfterCloseMiB / rssBeforeMiB, 2),
  };
}
