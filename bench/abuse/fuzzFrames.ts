import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../protocol';
import { SeededRandom } from './seededRandom';

/**
 * Hostile and malformed frames for the fuzz, drawn from a SeededRandom so that a second pass sends
 * exactly the same ones. Every client message type appears, with random field values (well-formed
 * or near misses); "refusable" frames are well-formed requests with one thing made invalid, whose
 * `id` starts with `x` so that a reply to them other than a refusal as malformed (`bad_message`,
 * `unsupported_version`) can be caught.
 */
export type FuzzKind =
  | 'everyday'
  | 'valid-looking'
  | 'refusable'
  | 'bad-json'
  | 'not-an-object'
  | 'bad-envelope'
  | 'deep-nesting'
  | 'huge'
  | 'binary'
  | 'bad-utf8'
  | 'oversized';

export interface FuzzFrame {
  kind: FuzzKind;
  data: string | Buffer;
  binary: boolean;
  /** The server closes the connection on this frame (invalid UTF-8, over 1 MiB). */
  endsConnection: boolean;
}

/** How often each kind is drawn; the two that end the connection are rare on purpose. */
const KIND_WEIGHTS: [FuzzKind, number][] = [
  ['everyday', 0.22],
  ['valid-looking', 0.3],
  ['refusable', 0.2],
  ['bad-json', 0.08],
  ['not-an-object', 0.04],
  ['bad-envelope', 0.07],
  ['deep-nesting', 0.04],
  ['huge', 0.005],
  ['binary', 0.04],
  ['bad-utf8', 0.0002],
  ['oversized', 0.00002],
];

/** Over the WebSocket limit the server reads (1 MiB): it closes with 1009. */
const OVERSIZED_BYTES = 1024 * 1024 + 1;
const DEEPEST_ARRAY = 30_000; // 60 KB of brackets: still under the 64 KiB message limit
const DEEPEST_OBJECT = 10_000;

export const MUTATIONS = [
  'extra field',
  'missing field',
  'wrong type',
  'too long',
  '__proto__ key',
  'constructor key',
  'nested __proto__',
  'v as string',
] as const;
type Mutation = (typeof MUTATIONS)[number];

type Gen = (r: SeededRandom, wellFormed: boolean) => unknown;

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789_.-';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEX = '0123456789ABCDEF';
/** Characters a hostile name might carry: bidi controls, invisibles, wide and combining ones. */
const TRICKY = [
  '\u202e',
  '\u2066',
  '\u200b',
  '\u3164',
  '\u2800',
  '\u0301',
  '\ufeff',
  '世',
  '😀',
  '\ud800',
  '\u0000',
  '"',
  '\\',
  '\n',
];

function chars(r: SeededRandom, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(r.next() * alphabet.length)];
  return text;
}

function anyText(r: SeededRandom, min: number, max: number): string {
  let text = '';
  const length = r.int(min, max);
  while (text.length < length) {
    text += r.chance(0.15) ? r.pick(TRICKY) : String.fromCharCode(r.int(32, 126));
  }
  return text;
}

function base64(bytes: number): Gen {
  return (r, well) => {
    const length = Math.ceil(bytes / 3) * 4;
    if (!well) return r.pick([chars(r, B64, length - 1), chars(r, B64 + '-_', length), '', 'AAAA']);
    const buffer = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) buffer[i] = r.int(0, 255);
    return buffer.toString('base64');
  };
}

const gen = {
  username: ((r, well) =>
    well
      ? chars(r, LOWER, r.int(3, 32))
      : r.pick([anyText(r, 0, 40), 'AB', chars(r, LOWER, 33)])) as Gen,
  name: ((r, well) =>
    well ? anyText(r, 1, 64) : r.pick(['', '   ', '\u200b\u200b', anyText(r, 65, 300)])) as Gen,
  deviceId: ((r, well) =>
    well ? chars(r, ID_CHARS, r.int(8, 64)) : chars(r, LOWER + '!', r.int(0, 80))) as Gen,
  callId: ((r, well) => {
    const hex = chars(r, '0123456789abcdef', 32);
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
    return well ? uuid : r.pick([hex, uuid.toUpperCase() + 'x', '']);
  }) as Gen,
  media: ((r, well) =>
    well ? r.pick(['audio', 'video']) : r.pick(['screen', 'AUDIO', ''])) as Gen,
  sdp: ((r, well) => {
    if (!well) return r.pick(['', 'x'.repeat(48 * 1024 + 1)]);
    const lines = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0'];
    for (let i = r.int(0, 40); i > 0; i--) lines.push(`a=${anyText(r, 1, 60)}`);
    return lines.join('\r\n') + '\r\n';
  }) as Gen,
  fingerprint: ((r, well) => {
    const pairs = Array.from({ length: well ? 32 : 20 }, () => chars(r, HEX, 2));
    return `${well ? 'sha-256' : 'sha-1'} ${pairs.join(':')}`;
  }) as Gen,
  linkCode: ((r, well) => {
    const code = [4, 4, 4].map((n) => chars(r, CROCKFORD, n)).join('-');
    return well ? code : code.toLowerCase().replace(/-/g, '');
  }) as Gen,
  seq: ((r, well) => (well ? r.int(1, 1_000_000) : r.pick([0, -1, 1.5, 2 ** 60, '7']))) as Gen,
  limit: ((r, well) => (well ? r.int(1, 500) : r.pick([0, 501, -3, 2.5]))) as Gen,
  bool: ((r, well) => (well ? r.chance(0.5) : r.pick(['true', 1, null]))) as Gen,
  client: ((r, well) => (well ? anyText(r, 1, 64) : r.pick(['', anyText(r, 65, 200)]))) as Gen,
};
const keyShare: Gen = (r, well) => ({
  ephemeralKey: base64(32)(r, well || r.chance(0.5)),
  fingerprint: gen.fingerprint(r, well || r.chance(0.5)),
  signedAt: well || r.chance(0.5) ? Date.now() : r.pick([-1, 1.5, '1780000000000', undefined]),
  signature: base64(64)(r, well),
});
const candidate: Gen = (r, well) =>
  r.chance(0.2)
    ? null
    : {
        candidate: `candidate:${r.int(0, 1e9)} 1 udp ${r.int(0, 2 ** 31)} 127.0.0.1 ${r.int(1, 65535)} typ host`,
        sdpMid: r.chance(0.1) ? null : String(r.int(0, 3)),
        sdpMLineIndex: well ? r.int(0, 64) : 99,
        usernameFragment: r.chance(0.1) ? null : chars(r, ID_CHARS, 8),
      };
const stream: Gen = (r, well) => ({
  id: gen.deviceId(r, well),
  received: well ? r.int(0, 1000) : -1,
});

interface TypeShape {
  /** Field name to generator; a trailing `?` marks an optional field. */
  fields: Record<string, Gen>;
  request: boolean;
}

const id: Gen = () => 'placeholder'; // ids are set by FuzzFrames, which numbers them
const callNotice = (extra: Record<string, Gen> = {}): TypeShape => ({
  fields: { callId: gen.callId, ...extra, 'seq?': gen.seq },
  request: false,
});

/** Every message type a client may send, with its fields (docs/protocol.md). */
const CLIENT_TYPES: Record<string, TypeShape> = {
  hello: { fields: { id, client: gen.client }, request: true },
  'auth.register': {
    fields: {
      id,
      username: gen.username,
      displayName: gen.name,
      deviceName: gen.name,
      identityKey: base64(32),
      nonce: base64(32),
      signature: base64(64),
    },
    request: true,
  },
  'auth.login': {
    fields: {
      id,
      username: gen.username,
      deviceId: gen.deviceId,
      nonce: base64(32),
      signature: base64(64),
    },
    request: true,
  },
  'session.resume': {
    fields: {
      id,
      sessionId: base64(32),
      nonce: base64(32),
      signature: base64(64),
      'stream?': stream,
    },
    request: true,
  },
  'session.end': { fields: { id }, request: true },
  ack: { fields: { seq: gen.seq }, request: false },
  ping: { fields: { id }, request: true },
  'user.lookup': { fields: { id, username: gen.username }, request: true },
  'contacts.list': { fields: { id }, request: true },
  'contacts.add': { fields: { id, username: gen.username }, request: true },
  'call.invite': {
    fields: {
      id,
      callId: gen.callId,
      to: gen.username,
      media: gen.media,
      sdp: gen.sdp,
      keyShare: keyShare,
    },
    request: true,
  },
  'call.ringing': callNotice(),
  'call.accept': callNotice({ media: gen.media, sdp: gen.sdp, keyShare: keyShare }),
  'call.decline': callNotice(),
  'call.cancel': callNotice(),
  'call.hangup': callNotice(),
  'call.ice': callNotice({ candidate: candidate }),
  'call.media': callNotice({ audio: gen.bool, video: gen.bool }),
  'call.rekey': callNotice(),
  'call.offer': callNotice({ sdp: gen.sdp }),
  'call.answer': callNotice({ sdp: gen.sdp }),
  'call.restart': callNotice(),
  'call.quality': callNotice({ poor: gen.bool }),
  'call.rejoin': callNotice({ sdp: gen.sdp, keyShare: keyShare }),
  'call.rejoined': callNotice({ sdp: gen.sdp, keyShare: keyShare }),
  'calllog.list': { fields: { id, 'limit?': gen.limit }, request: true },
  'link.request': {
    fields: {
      id,
      deviceName: gen.name,
      identityKey: base64(32),
      nonce: base64(32),
      signature: base64(64),
    },
    request: true,
  },
  'link.lookup': { fields: { id, code: gen.linkCode }, request: true },
  'link.approve': { fields: { id, code: gen.linkCode, signature: base64(64) }, request: true },
  'link.reject': { fields: { id, code: gen.linkCode }, request: true },
  'devices.list': { fields: { id }, request: true },
  'devices.remove': { fields: { id, deviceId: gen.deviceId }, request: true },
};
const TYPE_NAMES = Object.keys(CLIENT_TYPES);
const REQUEST_TYPES = TYPE_NAMES.filter((type) => CLIENT_TYPES[type]!.request);
const SERVER_ONLY_TYPES = [
  'session',
  'contacts',
  'error',
  'presence',
  'auth.challenge',
  'ok',
  'user',
];
const WRONG_VALUES: unknown[] = [7, true, [], { a: 1 }, 'seven'];
const EXTRA_VALUES: unknown[] = [1, 'x', null, {}, []];
const EXTRA_KEYS = ['extra', 'isAdmin', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'role'];

/** A fixed block of printable text that huge frames are cut from (cheaper than drawing each). */
const HUGE_SOURCE = (() => {
  const r = new SeededRandom(0x5eed);
  return chars(r, B64 + ' ', 80 * 1024);
})();

export class FuzzFrames {
  private counter = 0;

  constructor(
    private readonly r: SeededRandom,
    /** Usernames that exist on the server, for everyday requests. */
    private readonly knownUsernames: readonly string[],
  ) {}

  next(): FuzzFrame {
    let roll = this.r.next();
    let kind: FuzzKind = 'everyday';
    for (const [candidate, weight] of KIND_WEIGHTS) {
      if (roll < weight) {
        kind = candidate;
        break;
      }
      roll -= weight;
    }
    return this.frameOf(kind);
  }

  private frameOf(kind: FuzzKind): FuzzFrame {
    const text = (data: string): FuzzFrame => ({
      kind,
      data,
      binary: false,
      endsConnection: false,
    });
    switch (kind) {
      case 'everyday':
        return text(JSON.stringify(this.everyday()));
      case 'valid-looking':
        return text(JSON.stringify(this.messageOf(this.r.pick(TYPE_NAMES), false)));
      case 'refusable':
        return text(this.refusable());
      case 'bad-json':
        return text(this.badJson());
      case 'not-an-object':
        return text(
          this.r.pick(['null', 'true', '42', '"ping"', '[]', `[${this.ping()}]`, '-0', '1e309']),
        );
      case 'bad-envelope':
        return text(this.badEnvelope());
      case 'deep-nesting':
        return text(this.deepNesting());
      case 'huge':
        return text(this.huge());
      case 'binary':
        return { kind, data: this.binaryBytes(), binary: true, endsConnection: false };
      case 'bad-utf8':
        return {
          kind,
          data: Buffer.concat([
            Buffer.from('{"v":1,"type":"ping","id":"'),
            Buffer.from([0xc3, 0x28, 0xff]),
            Buffer.from('"}'),
          ]),
          binary: false,
          endsConnection: true,
        };
      case 'oversized':
        return {
          kind,
          data: `{"v":1,"type":"ping","id":"f","pad":"${'A'.repeat(OVERSIZED_BYTES)}"}`,
          binary: false,
          endsConnection: true,
        };
    }
  }

  private nextId(prefix: 'f' | 'x', tag = ''): string {
    this.counter += 1;
    return `${prefix}${tag}${this.counter}`;
  }

  private ping(): string {
    return JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping', id: this.nextId('f') });
  }

  /** What a normal client sends all day. */
  private everyday(): Record<string, unknown> {
    const r = this.r;
    const base = { v: PROTOCOL_VERSION, id: this.nextId('f') };
    switch (r.int(0, 5)) {
      case 0:
        return { ...base, type: 'ping' };
      case 1:
        return { ...base, type: 'contacts.list' };
      case 2:
        return { ...base, type: 'user.lookup', username: r.pick(this.knownUsernames) };
      case 3:
        return { ...base, type: 'calllog.list', limit: r.int(1, 100) };
      case 4:
        return { ...base, type: 'devices.list' };
      default:
        return { v: PROTOCOL_VERSION, type: 'ack', seq: r.int(1, 50) };
    }
  }

  /** A message of `type` with random values: each field well-formed or a near miss. */
  private messageOf(type: string, allWellFormed: boolean, idTag?: string): Record<string, unknown> {
    const r = this.r;
    const message: Record<string, unknown> = { v: PROTOCOL_VERSION, type };
    for (const [key, generator] of Object.entries(CLIENT_TYPES[type]!.fields)) {
      const optional = key.endsWith('?');
      const name = optional ? key.slice(0, -1) : key;
      if (optional && r.chance(0.5)) continue;
      if (name === 'id') {
        message.id =
          idTag !== undefined
            ? this.nextId('x', idTag)
            : allWellFormed || r.chance(0.8)
              ? this.nextId('f')
              : r.pick(['', 'g'.repeat(65), `g ${anyText(r, 0, 10)}`, 17]);
        continue;
      }
      message[name] = generator(r, allWellFormed || r.chance(0.7));
    }
    return message;
  }

  /** A well-formed request with exactly one thing wrong: the server must answer `error`. */
  private refusable(): string {
    const r = this.r;
    const mutation: Mutation = r.pick(MUTATIONS);
    const tag = `${MUTATIONS.indexOf(mutation)}_`;
    const type =
      mutation === 'nested __proto__'
        ? r.pick(['call.invite', 'session.resume'])
        : r.pick(REQUEST_TYPES);
    const message = this.messageOf(type, true, tag);
    const fieldNames = Object.keys(message).filter((k) => !['v', 'type', 'id'].includes(k));
    const target = fieldNames.length > 0 ? r.pick(fieldNames) : null;
    switch (mutation) {
      case 'extra field': {
        let key = r.chance(0.5) ? r.pick(EXTRA_KEYS) : chars(r, LOWER, r.int(1, 20));
        while (Object.hasOwn(message, key)) key = chars(r, LOWER, r.int(1, 20));
        message[key] = r.pick(EXTRA_VALUES);
        return JSON.stringify(message);
      }
      case 'missing field':
        if (target && !this.optional(type, target)) delete message[target];
        else message.type = `${type}.missing`;
        return JSON.stringify(message);
      case 'wrong type': {
        const key = target ?? 'id';
        const current = message[key];
        const wrong = WRONG_VALUES.filter(
          (value) =>
            typeof value !== typeof current || Array.isArray(value) !== Array.isArray(current),
        );
        message[key] = r.pick(wrong);
        return JSON.stringify(message);
      }
      case 'too long': {
        const key = target ?? 'id';
        // Past every string limit of its field: 64 characters for most, 48 KiB for an SDP.
        message[key] = 'y'.repeat(r.int(65, 5000) + (key === 'sdp' ? 48 * 1024 : 0));
        return JSON.stringify(message);
      }
      case '__proto__ key':
        return `{"__proto__":{"polluted":true,"isAdmin":true},${JSON.stringify(message).slice(1)}`;
      case 'constructor key':
        return `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(message).slice(1)}`;
      case 'nested __proto__': {
        // Inside an otherwise valid nested object: only a parser that ignores the key accepts it.
        const key = 'keyShare' in message ? 'keyShare' : 'stream';
        const inner = `{"__proto__":{"polluted":true},${JSON.stringify(message[key] ?? stream(r, true)).slice(1)}`;
        const rest = JSON.stringify({ ...message, [key]: undefined });
        return `${rest.slice(0, -1)},"${key}":${inner}}`;
      }
      case 'v as string':
        return JSON.stringify({ ...message, v: String(PROTOCOL_VERSION) });
    }
  }

  private optional(type: string, field: string): boolean {
    return `${field}?` in CLIENT_TYPES[type]!.fields;
  }

  private badJson(): string {
    const r = this.r;
    const good = JSON.stringify(this.messageOf(r.pick(TYPE_NAMES), true));
    switch (r.int(0, 8)) {
      case 0:
        return good.slice(0, r.int(0, good.length - 1));
      case 1:
        return anyText(r, 1, 200);
      case 2:
        return good.replace(/"/g, "'");
      case 3:
        return `${good.slice(0, -1)},}`;
      case 4:
        return `${good}${r.pick(['garbage', '{}', ']', ' x'])}`;
      case 5:
        return `{"v":${r.pick(['NaN', 'Infinity', 'undefined', '01', '+1', '0x1'])},"type":"ping","id":"f"}`;
      case 6:
        return r.pick(['', ' ', '{', '}', '{{{{', '"', '\u0000']);
      case 7:
        return `// comment\n${good}`;
      default:
        return good.replace(/:/, '');
    }
  }

  private badEnvelope(): string {
    const r = this.r;
    const message = this.messageOf(r.pick(TYPE_NAMES), true);
    switch (r.int(0, 6)) {
      case 0:
        delete message.v;
        break;
      case 1:
        message.v = r.pick([0, 2, 99, null, -1, 1.5]);
        break;
      case 2:
        delete message.type;
        break;
      case 3:
        message.type = r.pick([5, null, true, ['ping'], { ping: 1 }]);
        break;
      case 4:
        message.type = r.pick(SERVER_ONLY_TYPES);
        break;
      case 5:
        message.type = r.pick(['PING', 'ping ', 'contacts.List', 'call', '', 'x'.repeat(1000)]);
        break;
      default:
        message.type = anyText(r, 1, 30);
    }
    return JSON.stringify(message);
  }

  private deepNesting(): string {
    const r = this.r;
    // Log-uniform depth: mostly shallow, sometimes as deep as fits in one message.
    const depth = (max: number) => Math.floor(Math.exp(r.next() * Math.log(max - 16)) + 16);
    switch (r.int(0, 3)) {
      case 0: {
        const d = depth(DEEPEST_ARRAY);
        return '['.repeat(d) + ']'.repeat(d);
      }
      case 1: {
        const d = depth(DEEPEST_OBJECT);
        return '{"a":'.repeat(d) + '1' + '}'.repeat(d);
      }
      case 2: {
        const d = depth(DEEPEST_ARRAY - 100);
        return `{"v":1,"type":"ping","id":"${this.nextId('x', 'deep_')}","extra":${'['.repeat(d)}${']'.repeat(d)}}`;
      }
      default: {
        const d = depth(DEEPEST_OBJECT - 100);
        return `{"v":1,"type":"call.ice","callId":"00000000-0000-4000-a000-000000000000","candidate":${'{"candidate":'.repeat(d)}"x"${'}'.repeat(d)}}`;
      }
    }
  }

  /** Messages around the 64 KiB limit, some just under, some over; some in multi-byte text. */
  private huge(): string {
    const r = this.r;
    const bytes = r.int(MAX_MESSAGE_BYTES - 4096, MAX_MESSAGE_BYTES + 6000);
    const start = r.int(0, HUGE_SOURCE.length - bytes);
    switch (r.int(0, 3)) {
      case 0:
        return JSON.stringify({
          v: 1,
          type: 'hello',
          id: this.nextId('f'),
          client: HUGE_SOURCE.slice(start, start + bytes - 60),
        });
      case 1: {
        // CRLFs double in JSON: a 49,152-character SDP can still be over 64 KiB once escaped.
        const sdp = 'a=x\r\n'.repeat(Math.floor((bytes - 200) / 7)).slice(0, 48 * 1024);
        return JSON.stringify({
          v: 1,
          type: 'call.offer',
          callId: '00000000-0000-4000-a000-000000000000',
          sdp,
        });
      }
      case 2:
        return JSON.stringify({
          v: 1,
          type: 'user.lookup',
          id: this.nextId('f'),
          username: '€'.repeat(Math.floor(bytes / 3)),
        });
      default:
        return JSON.stringify({
          v: 1,
          type: 'ping',
          id: this.nextId('f'),
          pad: HUGE_SOURCE.slice(start, start + bytes),
        });
    }
  }

  private binaryBytes(): Buffer {
    const r = this.r;
    if (r.chance(0.3)) return Buffer.from(this.ping());
    const buffer = Buffer.alloc(r.int(1, 2048));
    for (let i = 0; i < buffer.length; i++) buffer[i] = r.int(0, 255);
    return buffer;
  }
}
