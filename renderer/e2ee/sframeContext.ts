/**
 * SFrameContext: the keys of one cipher suite by KID, and SFrame encrypt/decrypt with them
 * (RFC 9605 sections 4.4.3 and 4.4.4). Keys are derived and imported once, in setKey.
 */
import type { Aead } from './aead';
import { type Bytes, checkBytes, checkU64 } from './bytes';
import { type CipherSuite, getCipherSuite, importAead } from './cipherSuites';
import { ReplayWindow, DEFAULT_REPLAY_WINDOW } from './replayWindow';
import { SFrameError } from './SFrameError';
import { decodeHeader, headerLength, writeHeader } from './sframeHeader';
import { deriveKeyMaterial, writeFrameNonce } from './sframeKeys';

export interface SFrameContextOptions {
  /** Replay window per KID, in counters (a multiple of 32). Default 1024. */
  replayWindow?: number;
}

interface KeyEntry {
  readonly aead: Aead;
  readonly salt: Bytes;
  /** This key's nonce, rewritten for every frame (the AEAD reads it before it returns). */
  readonly nonce: Bytes;
  readonly replay: ReplayWindow;
  /** RFC 9605 4.4.1: a key encrypts or decrypts, never both; fixed by its first use. */
  direction?: 'encrypt' | 'decrypt';
}

export class SFrameContext {
  readonly suite: CipherSuite;
  private readonly replayWindowSize: number;
  private readonly keys = new Map<bigint, KeyEntry>();
  /** Bumped by every setKey/removeKey, so a slower earlier setKey cannot win. */
  private readonly generations = new Map<bigint, number>();
  /** Highest CTR encrypted per KID for the life of the context, across key changes. */
  private readonly lastSent = new Map<bigint, bigint>();
  /** header || metadata of the frame being sealed or opened; grows to the largest seen. */
  private aadScratch: Bytes = new Uint8Array(64);

  constructor(cipherSuite: number, options: SFrameContextOptions = {}) {
    this.suite = getCipherSuite(cipherSuite);
    this.replayWindowSize = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    ReplayWindow.checkSize(this.replayWindowSize);
  }

  /** Derives and imports the key for `kid`, replacing any earlier key (and its replay state). */
  async setKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    checkU64('kid', kid);
    checkBytes('baseKey', baseKey);
    if (baseKey.length === 0) throw new SFrameError('bad_key', 'SFrame base key is empty');
    const generation = this.bump(kid);
    const material = await deriveKeyMaterial(this.suite, kid, baseKey);
    const aead = await importAead(this.suite, material.key);
    material.secret.fill(0);
    material.key.fill(0);
    if (this.generations.get(kid) !== generation) return; // a later setKey/removeKey won
    this.keys.set(kid, {
      aead,
      salt: material.salt,
      nonce: new Uint8Array(material.salt.length),
      replay: new ReplayWindow(this.replayWindowSize),
    });
  }

  removeKey(kid: bigint): void {
    checkU64('kid', kid);
    this.bump(kid);
    this.keys.delete(kid);
  }

  hasKey(kid: bigint): boolean {
    return this.keys.has(kid);
  }

  /**
   * Encrypts one frame: header || ciphertext || tag. Each CTR must be above the last one
   * encrypted with this KID (RFC 9605 7.4: never the same key and nonce twice).
   */
  encrypt(kid: bigint, ctr: bigint, metadata: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    return this.seal(kid, ctr, metadata, plaintext, false);
  }

  /**
   * As encrypt, with the metadata in the clear in front, in one buffer: metadata || header ||
   * ciphertext || tag (a media frame's clear prefix, then its SFrame).
   */
  encryptAfterMetadata(
    kid: bigint,
    ctr: bigint,
    metadata: Uint8Array,
    plaintext: Uint8Array,
  ): Promise<Bytes> {
    return this.seal(kid, ctr, metadata, plaintext, true);
  }

  /** Authenticates and decrypts one frame; rejects with SFrameError and returns nothing else. */
  decrypt(metadata: Uint8Array, sframe: Uint8Array): Promise<Bytes> {
    return this.open(metadata, sframe, false);
  }

  /** As decrypt, answering metadata || plaintext in one buffer: encryptAfterMetadata undone. */
  decryptAfterMetadata(metadata: Uint8Array, sframe: Uint8Array): Promise<Bytes> {
    return this.open(metadata, sframe, true);
  }

  /**
   * Writes the output's clear parts and header first, then the AEAD's ciphertext once: one
   * exactly-sized buffer per frame. The caller may reuse its buffers once this returns.
   */
  private async seal(
    kid: bigint,
    ctr: bigint,
    metadata: Uint8Array,
    plaintext: Uint8Array,
    metadataInFront: boolean,
  ): Promise<Bytes> {
    checkU64('kid', kid);
    checkU64('ctr', ctr);
    checkBytes('metadata', metadata);
    checkBytes('plaintext', plaintext);
    const entry = this.entry(kid);
    if (entry.direction === 'decrypt') {
      throw new SFrameError('key_direction', `KID ${kid} is a decryption key here`);
    }
    const last = this.lastSent.get(kid);
    if (last !== undefined && ctr <= last) {
      throw new SFrameError('counter_reused', `CTR ${ctr} is not above ${last} for KID ${kid}`);
    }
    entry.direction = 'encrypt';
    this.lastSent.set(kid, ctr);
    const lead = metadataInFront ? metadata.length : 0;
    const headerEnd = lead + headerLength(kid, ctr);
    const out = new Uint8Array(headerEnd + plaintext.length + this.suite.nt);
    if (metadataInFront) out.set(metadata);
    writeHeader(out, lead, kid, ctr);
    const aad = this.scratchAad(out.subarray(lead, headerEnd), metadata);
    writeFrameNonce(entry.nonce, entry.salt, ctr);
    const ciphertext = await entry.aead.encrypt(entry.nonce, aad, plaintext);
    out.set(ciphertext, headerEnd); // both AEADs answer plaintext length + Nt bytes
    return out;
  }

  private async open(
    metadata: Uint8Array,
    sframe: Uint8Array,
    metadataInFront: boolean,
  ): Promise<Bytes> {
    checkBytes('metadata', metadata);
    checkBytes('sframe', sframe);
    const { kid, ctr, length } = decodeHeader(sframe);
    const entry = this.entry(kid);
    if (entry.direction === 'encrypt') {
      throw new SFrameError('key_direction', `KID ${kid} is an encryption key here`);
    }
    if (sframe.length - length < this.suite.nt) {
      throw new SFrameError('truncated', `SFrame ciphertext shorter than its tag`);
    }
    this.checkReplay(entry, kid, ctr);
    // Taken before the await: the caller may reuse its buffers once this returns.
    let out: Bytes | null = null;
    if (metadataInFront) {
      out = new Uint8Array(metadata.length + sframe.length - length - this.suite.nt);
      out.set(metadata);
    }
    const aad = this.scratchAad(sframe.subarray(0, length), metadata);
    writeFrameNonce(entry.nonce, entry.salt, ctr);
    const plaintext = await entry.aead.decrypt(entry.nonce, aad, sframe.subarray(length));
    // Authenticated. Only now may the frame touch the key's state.
    if (this.keys.get(kid) !== entry) {
      throw new SFrameError('unknown_kid', `key for KID ${kid} was removed during decryption`);
    }
    this.checkReplay(entry, kid, ctr); // a copy of this frame may have finished first
    entry.replay.accept(ctr);
    entry.direction = 'decrypt';
    if (!out) return plaintext;
    out.set(plaintext, metadata.length);
    return out;
  }

  /** aad = header || metadata, in a buffer reused for every frame (the AEAD reads it at once). */
  private scratchAad(header: Uint8Array, metadata: Uint8Array): Bytes {
    const length = header.length + metadata.length;
    if (this.aadScratch.length < length) this.aadScratch = new Uint8Array(length);
    this.aadScratch.set(header);
    this.aadScratch.set(metadata, header.length);
    return this.aadScratch.subarray(0, length);
  }

  private entry(kid: bigint): KeyEntry {
    const entry = this.keys.get(kid);
    if (!entry) throw new SFrameError('unknown_kid', `no SFrame key for KID ${kid}`);
    return entry;
  }

  private checkReplay(entry: KeyEntry, kid: bigint, ctr: bigint): void {
    const verdict = entry.replay.check(ctr);
    if (verdict === 'duplicate') {
      throw new SFrameError('replay', `CTR ${ctr} for KID ${kid} was already received`);
    }
    if (verdict === 'too_old') {
      throw new SFrameError('replay', `CTR ${ctr} for KID ${kid} is older than the replay window`);
    }
  }

  private bump(kid: bigint): number {
    const generation = (this.generations.get(kid) ?? 0) + 1;
    this.generations.set(kid, generation);
    return generation;
  }
}
