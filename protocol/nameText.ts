/**
 * The characters that let a user-chosen name (a display name, a device name) disguise itself or
 * the text around it, and the one way every side puts a name into a plain-text sentence.
 */

/**
 * Unicode's explicit directional formatting characters (UAX #9): ALM U+061C, LRM U+200E,
 * RLM U+200F, the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069. An override
 * in a name reverses the app's own words after it.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Control characters (C0, DEL, C1), line and paragraph separators, unpaired surrogates. */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * Characters that draw nothing on their own: whitespace; format characters (zero-width space and
 * joiners, word joiner, byte order mark, Mongolian vowel separator, tags, ...); the other default
 * ignorables (Hangul fillers U+115F U+1160 U+3164 U+FFA0, variation selectors, Khmer inherent
 * vowels U+17B4 U+17B5, combining grapheme joiner); the blank Braille pattern U+2800, which fonts
 * draw empty; and combining marks, which only show on a base character.
 */
const DRAWS_NOTHING_ALONE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/gu;

export const FIRST_STRONG_ISOLATE = '\u2068';
export const POP_DIRECTIONAL_ISOLATE = '\u2069';

export function hasBidiControl(text: string): boolean {
  return text.search(BIDI_CONTROLS) >= 0;
}

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTERS.test(text);
}

/** True when something in the text draws on its own (a letter, digit, symbol, emoji...). */
export function hasVisibleCharacter(text: string): boolean {
  return text.replace(DRAWS_NOTHING_ALONE, '').length > 0;
}

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * A name ready to go into a plain-text sentence (a notification, a window title, a tray tooltip,
 * a string the UI renders): its direction controls removed, then wrapped in FSI ... PDI, so a
 * right-to-left name keeps its own direction without reordering the words around it. Names the
 * server stored before it refused direction controls may still contain them.
 */
export function isolateName(name: string): string {
  return `${FIRST_STRONG_ISOLATE}${withoutBidiControls(name)}${POP_DIRECTIONAL_ISOLATE}`;
}

/**
 * What a ringing group call is, with the names of those in it, each isolated:
 * "Group video call with Ann, Carl" (main's notification and the incoming-call window say it).
 */
export function groupCallLine(
  media: 'audio' | 'video',
  members: readonly { displayName: string }[],
): string {
  const kind = `Group ${media === 'video' ? 'video' : 'voice'} call`;
  if (members.length === 0) return kind;
  return `${kind} with ${members.map((member) => isolateName(member.displayName)).join(', ')}`;
}
