import { createHash, randomBytes } from 'node:crypto';
import {
  partyDigits,
  safetyNumber,
  safetyNumberGroups,
} from '../../../renderer/identity/safetyNumber';

/** The spec's algorithm written again over node:crypto, to check the Web Crypto one against. */
function referenceDigits(identityKey: string, username: string): string {
  const key = Buffer.from(identityKey, 'base64');
  let hash = Buffer.concat([Buffer.from([0, 0]), key, Buffer.from(username, 'utf8')]);
  for (let i = 0; i < 5200; i += 1) hash = createHash('sha512').update(hash).update(key).digest();
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk += 1) {
    digits += String(hash.readUIntBE(chunk * 5, 5) % 100_000).padStart(5, '0');
  }
  return digits;
}

const keyA = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64');
const keyB = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i)).toString('base64');
const alice = { username: 'alice', identityKey: keyA };
const bob = { username: 'bob', identityKey: keyB };
const randomKey = () => randomBytes(32).toString('base64');

// 5200 rounds of SHA-512 per party, several numbers per test: CPU work, which a busy machine slows.
jest.setTimeout(60_000);

describe('safety numbers', () => {
  test('a fixed pair of keys gives a fixed 60-digit number', async () => {
    await expect(safetyNumber(alice, bob)).resolves.toBe(
      '309956685010881989143608686589922529733821749834127861896382',
    );
  });

  test('each half is the numeric fingerprint of one party, as computed independently', async () => {
    for (const party of [alice, bob, { username: 'zoë.müller', identityKey: randomKey() }]) {
      await expect(partyDigits(party)).resolves.toBe(
        referenceDigits(party.identityKey, party.username),
      );
    }
    const carol = { username: 'carol', identityKey: randomKey() };
    const halves = [referenceDigits(keyA, 'alice'), referenceDigits(carol.identityKey, 'carol')];
    await expect(safetyNumber(alice, carol)).resolves.toBe(halves.sort().join(''));
  });

  test('both sides of a conversation see the same number', async () => {
    const carol = { username: 'carol', identityKey: randomKey() };
    const dave = { username: 'dave', identityKey: randomKey() };
    const fromCarol = await safetyNumber(carol, dave);
    expect(fromCarol).toMatch(/^\d{60}$/);
    await expect(safetyNumber(dave, carol)).resolves.toBe(fromCarol);
  });

  test('a different key, or the same key under another name, changes the number', async () => {
    const before = await safetyNumber(alice, bob);
    const newKey = await safetyNumber(alice, { ...bob, identityKey: randomKey() });
    const renamed = await safetyNumber(alice, { ...bob, username: 'bobby' });
    expect(newKey).not.toBe(before);
    expect(renamed).not.toBe(before);
    // Alice's half stays; only Bob's changes.
    const aliceHalf = referenceDigits(keyA, 'alice');
    expect(newKey).toContain(aliceHalf);
    expect(newKey.replace(aliceHalf, '')).not.toBe(referenceDigits(keyB, 'bob'));
  });

  test('is shown as 12 groups of 5 digits', () => {
    const digits = '309956685010881989143608686589922529733821749834127861896382';
    const groups = safetyNumberGroups(digits);
    expect(groups).toHaveLength(12);
    expect(groups[0]).toBe('30995');
    expect(groups[11]).toBe('96382');
    expect(groups.join('')).toBe(digits);
    expect(() => safetyNumberGroups(digits.slice(1))).toThrow(/60 digits/);
  });

  test('stops when nobody waits for it any more (a call that ended), and not before', async () => {
    const stop = new AbortController();
    const computing = safetyNumber(alice, bob, stop.signal);
    stop.abort(new Error('the call is over'));
    await expect(computing).rejects.toThrow('the call is over');
    await expect(safetyNumber(alice, bob, new AbortController().signal)).resolves.toBe(
      await safetyNumber(alice, bob),
    );
  });

  test('a key that is not 32 bytes of base64 is refused', async () => {
    await expect(safetyNumber(alice, { username: 'bob', identityKey: 'AAAA' })).rejects.toThrow(
      /32 bytes/,
    );
  });
});
