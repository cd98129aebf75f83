import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/**
 * A minimal STUN/TURN client over UDP (RFC 5389, RFC 5766), enough to ask a real coturn for a
 * relay allocation with long-term credentials and read its answer: success with the relayed
 * address, or the error code and reason it sent.
 */
const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const ALLOCATE_REQUEST = 0x0003;
const SUCCESS_CLASS = 0x0100;
const ERROR_CLASS = 0x0110;

const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
} as const;
const UDP_PROTOCOL = 17;

export type StunAnswer =
  | { kind: 'success'; address: string | null }
  | { kind: 'error'; code: number; reason: string; realm?: string; nonce?: string };

interface Attribute {
  type: number;
  value: Buffer;
}

export class StunClient {
  private readonly socket: Socket = createSocket('udp4');

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  close(): void {
    this.socket.close();
  }

  /** A Binding request: answers with the address the server sees. */
  async binding(timeoutMs = 1000): Promise<StunAnswer> {
    return this.request(BINDING_REQUEST, [], null, timeoutMs);
  }

  /**
   * An Allocate for a UDP relay: first without credentials (coturn answers 401 with its realm
   * and a nonce), then with them, signed with MESSAGE-INTEGRITY as RFC 5389 section 15.4 says.
   */
  async allocate(username: string, password: string, timeoutMs = 2000): Promise<StunAnswer> {
    const transport = {
      type: ATTR.requestedTransport,
      value: Buffer.from([UDP_PROTOCOL, 0, 0, 0]),
    };
    const challenge = await this.request(ALLOCATE_REQUEST, [transport], null, timeoutMs);
    if (challenge.kind !== 'error' || challenge.code !== 401 || !challenge.realm) {
      return challenge;
    }
    const realm = challenge.realm;
    const key = createHash('md5').update(`${username}:${realm}:${password}`).digest();
    return this.request(
      ALLOCATE_REQUEST,
      [
        transport,
        { type: ATTR.username, value: Buffer.from(username) },
        { type: ATTR.realm, value: Buffer.from(realm) },
        { type: ATTR.nonce, value: Buffer.from(challenge.nonce ?? '') },
      ],
      key,
      timeoutMs,
    );
  }

  private request(
    method: number,
    attributes: Attribute[],
    integrityKey: Buffer | null,
    timeoutMs: number,
  ): Promise<StunAnswer> {
    const transactionId = randomBytes(12);
    const packet = encode(method, transactionId, attributes, integrityKey);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`no STUN answer from ${this.host}:${this.port} in ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: Buffer) => {
        if (message.length < 20 || !message.subarray(8, 20).equals(transactionId)) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(decode(message));
      };
      this.socket.on('message', onMessage);
      this.socket.send(packet, this.port, this.host);
    });
  }
}

function encode(
  method: number,
  transactionId: Buffer,
  attributes: Attribute[],
  integrityKey: Buffer | null,
): Buffer {
  const body = Buffer.concat(attributes.map(encodeAttribute));
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method, 0);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  if (!integrityKey) {
    header.writeUInt16BE(body.length, 2);
    return Buffer.concat([header, body]);
  }
  // The length covers MESSAGE-INTEGRITY (4 + 20 bytes) while the HMAC covers what precedes it.
  header.writeUInt16BE(body.length + 24, 2);
  const signed = Buffer.concat([header, body]);
  const hmac = createHmac('sha1', integrityKey).update(signed).digest();
  return Buffer.concat([signed, encodeAttribute({ type: ATTR.messageIntegrity, value: hmac })]);
}

function encodeAttribute({ type, value }: Attribute): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function decode(message: Buffer): StunAnswer {
  const type = message.readUInt16BE(0);
  const attributes = new Map<number, Buffer>();
  for (let at = 20; at + 4 <= message.length; ) {
    const attrType = message.readUInt16BE(at);
    const length = message.readUInt16BE(at + 2);
    if (!attributes.has(attrType))
      attributes.set(attrType, message.subarray(at + 4, at + 4 + length));
    at += 4 + Math.ceil(length / 4) * 4;
  }
  if ((type & 0x0110) === ERROR_CLASS) {
    const error = attributes.get(ATTR.errorCode);
    const code = error ? (error.readUInt8(2) & 0x07) * 100 + error.readUInt8(3) : 0;
    return {
      kind: 'error',
      code,
      reason: error ? error.subarray(4).toString('utf8').replace(/\0+$/, '') : '',
      ...(attributes.has(ATTR.realm)
        ? { realm: attributes.get(ATTR.realm)!.toString('utf8') }
        : {}),
      ...(attributes.has(ATTR.nonce)
        ? { nonce: attributes.get(ATTR.nonce)!.toString('utf8') }
        : {}),
    };
  }
  if ((type & 0x0110) !== SUCCESS_CLASS)
    throw new Error(`unexpected STUN type 0x${type.toString(16)}`);
  const xored = attributes.get(ATTR.xorRelayedAddress) ?? attributes.get(ATTR.xorMappedAddress);
  return { kind: 'success', address: xored ? xorAddress(xored) : null };
}

/** An XOR-MAPPED/RELAYED-ADDRESS value as "ip:port" (IPv4 only: the tests use 127.0.0.1). */
function xorAddress(value: Buffer): string {
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  const ip = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}:${port}`;
}
