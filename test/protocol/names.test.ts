import {
  ClientMessage,
  DeviceName,
  DisplayName,
  ServerMessage,
  isolateName,
  withoutBidiControls,
} from '../../protocol';

/** The zod message a name gets, or null when it is accepted. */
function refusal(name: string): string | null {
  const result = DisplayName.safeParse(name);
  return result.success ? null : (result.error.issues[0]?.message ?? 'invalid');
}

const BIDI = 'must not contain bidirectional control characters';
const CONTROL = 'must not contain control characters, line breaks or unpaired surrogates';
const INVISIBLE = 'must contain a visible character';

describe('display and device names', () => {
  test.each([
    ['ALM U+061C', 'Ali\u061Cce'],
    ['LRM U+200E', 'Ali\u200Ece'],
    ['RLM U+200F', 'Ali\u200Fce'],
    ['LRE U+202A', 'Ali\u202Ace'],
    ['RLE U+202B', 'Ali\u202Bce'],
    ['PDF U+202C', 'Ali\u202Cce'],
    ['LRO U+202D', 'Ali\u202Dce'],
    ['RLO U+202E', 'gnp.\u202Eexe'],
    ['LRI U+2066', 'Ali\u2066ce'],
    ['RLI U+2067', 'Ali\u2067ce'],
    ['FSI U+2068', 'Ali\u2068ce'],
    ['PDI U+2069', 'Ali\u2069ce'],
  ])('a name with %s is refused as a direction control', (_, name) => {
    expect(refusal(name)).toBe(BIDI);
  });

  test.each([
    ['a NUL', 'Ali\u0000ce'],
    ['a bell', 'Ali\u0007ce'],
    ['a line feed', 'Ali\nce'],
    ['a tab', 'Ali\tce'],
    ['DEL', 'Ali\u007Fce'],
    ['a C1 control', 'Ali\u0085ce'],
    ['a line separator', 'Ali\u2028ce'],
    ['a paragraph separator', 'Ali\u2029ce'],
    ['an unpaired surrogate', 'Ali\uD800ce'],
  ])('a name with %s is refused as a control character', (_, name) => {
    expect(refusal(name)).toBe(CONTROL);
  });

  test.each([
    ['zero-width spaces U+200B', '\u200B\u200B'],
    ['a zero-width joiner alone U+200D', '\u200D'],
    ['a zero-width non-joiner U+200C', '\u200C'],
    ['a word joiner U+2060', '\u2060'],
    ['a byte order mark inside', '\u2060\uFEFF\u2060'],
    ['the Hangul filler U+3164', '\u3164\u3164'],
    ['the Hangul choseong and jungseong fillers U+115F U+1160', '\u115F\u1160'],
    ['the halfwidth Hangul filler U+FFA0', '\uFFA0'],
    ['the blank Braille pattern U+2800', '\u2800\u2800\u2800'],
    ['a Mongolian vowel separator U+180E', '\u180E'],
    ['combining marks alone', '\u0301\u0308\u0327'],
    ['a combining grapheme joiner U+034F', '\u034F'],
    ['variation selectors alone', '\uFE0F\uFE0E'],
    ['Khmer inherent vowels U+17B4 U+17B5', '\u17B4\u17B5'],
    ['tag characters alone', '\u{E0067}\u{E0062}\u{E007F}'],
    ['a mix of all of them', '\u200B\u3164\u2800\u0301\u2060'],
  ])('a name made only of %s is refused as invisible', (_, name) => {
    expect(refusal(name)).toBe(INVISIBLE);
  });

  test.each([
    ['whitespace only', '   '],
    ['ideographic spaces only (trimmed)', '\u3000\u3000'],
    ['nothing', ''],
  ])('a name of %s is refused as empty', (_, name) => {
    expect(refusal(name)).toBe('must not be empty');
  });

  test.each([
    ['Latin', 'Alice Liddell'],
    ['Arabic', 'محمد عبد الله'],
    ['Hebrew', 'דנה לוי'],
    ['Chinese', '王小明'],
    ['Japanese', 'さくら 田中'],
    ['Korean', '김민준'],
    ['fullwidth letters, 64 of them', '\uFF37'.repeat(64)],
    ['an emoji ZWJ sequence', '👩‍💻'],
    ['a family emoji', '👨‍👩‍👧'],
    [
      'a flag with tag characters',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
    ],
    ['an emoji with a variation selector', '❤️ Sam'],
    ['a combining accent on a letter', 'Zoe\u0308'],
    ['Vietnamese stacked marks', 'Nguyê\u0303n'],
    ['Devanagari with vowel signs', 'प्रिया'],
    ['a zero-width joiner between letters', 'क्\u200Dष'],
    ['a no-break space between words', 'Ana\u00A0Maria'],
    ['a single character', 'Q'],
    ['a private-use character beside a letter', 'A\uE000'],
  ])('%s stays allowed', (_, name) => {
    expect(refusal(name)).toBeNull();
  });

  test('a name is trimmed before its rules and stored trimmed', () => {
    expect(DisplayName.parse('  Alice \u3000')).toBe('Alice');
    expect(refusal('\uFF37'.repeat(65))).toBe('must be at most 64 characters');
  });

  test('device names follow the same rules', () => {
    expect(DeviceName.safeParse('Laptop').success).toBe(true);
    expect(DeviceName.safeParse('Lap\u202Etop').success).toBe(false);
    expect(DeviceName.safeParse('\u3164').success).toBe(false);
  });
});

describe('the names in messages', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const nonce = Buffer.alloc(32, 1).toString('base64');
  const signature = Buffer.alloc(64, 9).toString('base64');
  const register = {
    v: 1,
    type: 'auth.register',
    id: 'r1',
    username: 'alice',
    displayName: 'Alice',
    deviceName: 'Laptop',
    identityKey: key,
    nonce,
    signature,
  };
  const linkRequest = {
    v: 1,
    type: 'link.request',
    id: 'r2',
    deviceName: 'Phone',
    identityKey: key,
    nonce,
    signature,
  };

  function issue(message: object): string | null {
    const result = ClientMessage.safeParse(message);
    if (result.success) return null;
    const first = result.error.issues[0];
    return `${first?.path.join('.')}: ${first?.message}`;
  }

  test('auth.register and link.request refuse each name that breaks a rule, naming the field', () => {
    expect(issue({ ...register, displayName: 'A\u202Eb' })).toBe(`displayName: ${BIDI}`);
    expect(issue({ ...register, deviceName: '\u2800' })).toBe(`deviceName: ${INVISIBLE}`);
    expect(issue({ ...linkRequest, deviceName: '\u200B' })).toBe(`deviceName: ${INVISIBLE}`);
    expect(issue({ ...linkRequest, deviceName: 'P\u202Ahone' })).toBe(`deviceName: ${BIDI}`);
    expect(issue(register)).toBeNull();
    expect(issue(linkRequest)).toBeNull();
  });

  test('names the server reports are read as stored, so accounts from before the rules keep working', () => {
    const legacy = 'gnp.\u202Eexe';
    const contacts = {
      v: 1,
      type: 'contacts',
      re: 'r3',
      contacts: [
        { username: 'mallory', displayName: legacy, presence: 'online', identityKey: key },
      ],
      next: null,
    };
    const devices = {
      v: 1,
      type: 'devices',
      re: 'r4',
      devices: [
        {
          deviceId: 'dev_0123456789',
          deviceName: '\u200B',
          identityKey: key,
          createdAt: 1,
          online: true,
          current: true,
        },
      ],
    };
    expect(ServerMessage.safeParse(contacts).success).toBe(true);
    expect(ServerMessage.safeParse(devices).success).toBe(true);
    expect(
      ServerMessage.safeParse({
        ...contacts,
        contacts: [{ ...contacts.contacts[0], displayName: '' }],
      }).success,
    ).toBe(false);
  });
});

describe('isolateName', () => {
  test('wraps a name in FSI and PDI, so it cannot reorder the sentence around it', () => {
    expect(isolateName('דנה')).toBe('\u2068דנה\u2069');
  });

  test('removes direction controls first, so a stored name cannot close the isolate early', () => {
    expect(isolateName('a\u2069\u202Eb\u202C')).toBe('\u2068ab\u2069');
    expect(withoutBidiControls('x\u200Fy\u061Cz')).toBe('xyz');
  });

  test('keeps joiners and marks that are part of the name', () => {
    expect(isolateName('👩‍💻 Zoe\u0308')).toBe('\u2068👩‍💻 Zoe\u0308\u2069');
  });
});
