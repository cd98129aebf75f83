import { MAX_GENERATION, kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import { AES_128_GCM_SHA256_128, getCipherSuite } from '../../../renderer/e2ee/cipherSuites';
import { FrameCryptor } from '../../../renderer/e2ee/frameCryptor';
import { decodeHeader } from '../../../renderer/e2ee/sframe';
import { deriveKeyMaterial, frameNonce } from '../../../renderer/e2ee/sframeKeys';
import type { E2eeWorkerRequest } from '../../../renderer/e2ee/worker/messages';
import { SenderKeyRing } from '../../../renderer/keys/SenderKeyRing';
import { rejectionCode } from '../e2ee/helpers';

const baseKey = Uint8Array.from({ length: 32 }, (_, i) => 3 * i);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** A sender's worker: its messages, applied in order to a real FrameCryptor. */
function senderWorker() {
  const cryptor = new FrameCryptor();
  const messages: E2eeWorkerRequest[] = [];
  let applied: Promise<void> = Promise.resolve();
  return {
    cryptor,
    messages,
    post(message: E2eeWorkerRequest) {
      messages.push(message);
      if (message.kind === 'setSendKey') {
        applied = applied.then(() => cryptor.setSendKey(message.kid, message.baseKey));
      }
    },
    /** Encrypts once every key posted so far is in place. */
    async send(frame: Uint8Array) {
      await applied;
      return cryptor.encrypt('opus', frame);
    },
  };
}

const frame = (n: number) => Uint8Array.of(0x78, n, n, n);

describe('SenderKeyRing', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('sends with its base key at its slot and generation, epoch 0', () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 5, baseKey, 2);
    expect(worker.messages).toEqual([{ kind: 'setSendKey', kid: kidFor(5, 0, 2), baseKey }]);
    expect(ring.current).toEqual({ kid: kidFor(5, 0, 2), generation: 2, epoch: 0, baseKey });
  });

  test('advanceEpoch (someone joins): the next epoch of the same generation, with the ratcheted key', async () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 3, baseKey);
    const member = new FrameCryptor();
    await member.setReceiveKey(kidFor(3, 0), baseKey);
    const beforeJoin = await worker.send(frame(1));

    const next = await ring.advanceEpoch();
    expect(next).toEqual({
      kid: kidFor(3, 1),
      generation: 0,
      epoch: 1,
      baseKey: await ratchetBaseKey(baseKey),
    });
    expect(worker.messages.at(-1)).toEqual({
      kind: 'setSendKey',
      kid: next.kid,
      baseKey: next.baseKey,
    });
    const afterJoin = await worker.send(frame(2));
    // The joiner is given only the new key: it opens what follows, never what came before.
    const joiner = new FrameCryptor();
    await joiner.setReceiveKey(next.kid, next.baseKey);
    expect(await joiner.decrypt('opus', afterJoin)).toEqual(frame(2));
    expect(await rejectionCode(joiner.decrypt('opus', beforeJoin))).toBe('unknown_kid');
    // A member who had the old key follows by ratcheting, and opens both.
    expect(await member.decrypt('opus', beforeJoin)).toEqual(frame(1));
    expect(await member.decrypt('opus', afterJoin)).toEqual(frame(2));
  });

  test('nextGeneration (someone leaves): a fresh random key at generation + 1 that no old key opens', async () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 3, baseKey);
    await ring.advanceEpoch();
    const leaver = new FrameCryptor();
    await leaver.setReceiveKey(kidFor(3, 0), baseKey);

    const next = await ring.nextGeneration();
    expect(next.kid).toBe(kidFor(3, 0, 1));
    expect([next.generation, next.epoch]).toEqual([1, 0]);
    expect(next.baseKey).toHaveLength(32);
    expect(hex(next.baseKey)).not.toBe(hex(baseKey));
    expect(hex(next.baseKey)).not.toBe(hex(await ratchetBaseKey(baseKey)));
    expect(hex(next.baseKey)).not.toBe(hex(await ratchetBaseKey(await ratchetBaseKey(baseKey))));
    const afterLeave = await worker.send(frame(3));
    expect(await rejectionCode(leaver.decrypt('opus', afterLeave))).toBe('unknown_kid');
    const stayer = new FrameCryptor();
    await stayer.setReceiveKey(kidFor(3, 0), baseKey);
    await stayer.setReceiveKey(next.kid, next.baseKey);
    expect(await stayer.decrypt('opus', afterLeave)).toEqual(frame(3));
    // Two rings never draw the same key.
    const other = await new SenderKeyRing(senderWorker(), 3, baseKey).nextGeneration();
    expect(hex(other.baseKey)).not.toBe(hex(next.baseKey));
  });

  test('concurrent changes each take their own KID, in the order asked', async () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 4, baseKey);
    const keys = await Promise.all([
      ring.advanceEpoch(),
      ring.nextGeneration(),
      ring.advanceEpoch(),
      ring.nextGeneration(),
    ]);
    expect(keys.map((key) => key.kid)).toEqual([
      kidFor(4, 1, 0),
      kidFor(4, 0, 1),
      kidFor(4, 1, 1),
      kidFor(4, 0, 2),
    ]);
    expect(keys[2]!.baseKey).toEqual(await ratchetBaseKey(keys[1]!.baseKey));
    expect(ring.current).toBe(keys[3]);
  });

  test('nonces never repeat: the counter restarts for every new KID, and every (key, nonce) is new', async () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 2, baseKey);
    const keys = [ring.current];
    const wire: Uint8Array[] = [];
    const sendThree = async () => {
      for (let i = 0; i < 3; i++) wire.push(await worker.send(frame(i)));
    };
    await sendThree();
    keys.push(await ring.advanceEpoch());
    await sendThree();
    keys.push(await ring.nextGeneration());
    await sendThree();
    keys.push(await ring.advanceEpoch());
    await sendThree();

    const headers = wire.map((sent) => decodeHeader(sent.subarray(1)));
    expect(headers.map(({ kid, ctr }) => [kid, ctr])).toEqual(
      keys.flatMap(({ kid }) => [0n, 1n, 2n].map((ctr) => [kid, ctr])),
    );
    const suite = getCipherSuite(AES_128_GCM_SHA256_128);
    const used = new Set<string>();
    for (const { kid, ctr } of headers) {
      const key = keys.find((k) => k.kid === kid)!;
      const material = await deriveKeyMaterial(suite, kid, key.baseKey);
      used.add(`${hex(material.key)}/${hex(frameNonce(material.salt, ctr))}`);
    }
    expect(used.size).toBe(headers.length);
    expect(new Set(keys.map((key) => hex(key.baseKey))).size).toBe(keys.length);
  });

  test('past the last generation the ring refuses to change and keeps sending with its key', async () => {
    const worker = senderWorker();
    const ring = new SenderKeyRing(worker, 2, baseKey, MAX_GENERATION);
    await expect(ring.nextGeneration()).rejects.toThrow(RangeError);
    expect(ring.current.kid).toBe(kidFor(2, 0, MAX_GENERATION));
    expect(worker.messages).toHaveLength(1);
    // A later epoch still works: the refusal did not jam the ring.
    expect((await ring.advanceEpoch()).kid).toBe(kidFor(2, 1, MAX_GENERATION));
  });

  test('a joiner starts from a random key of its own', () => {
    const first = SenderKeyRing.withRandomKey(senderWorker(), 7);
    const second = SenderKeyRing.withRandomKey(senderWorker(), 8);
    expect(first.current.kid).toBe(kidFor(7, 0));
    expect(first.current.baseKey).toHaveLength(32);
    expect(hex(first.current.baseKey)).not.toBe(hex(second.current.baseKey));
  });
});
