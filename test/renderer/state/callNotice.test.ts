import { isolateName } from '../../../protocol';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import {
  callErrorText,
  describe as describeFailure,
  endReasonForFailure,
} from '../../../renderer/state/callFailure';
import {
  callNoticeText,
  canCallBack,
  endReasonForError,
  formatDuration,
  retryAfterText,
} from '../../../renderer/state/callNotice';
import {
  callEndReasons,
  type CallEndReason,
  type EndedCall,
} from '../../../renderer/state/callStateMachine';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { everyFailure, expectSentence } from './sentenceRules';

function ended(
  reason: CallEndReason,
  direction: EndedCall['direction'] = 'outgoing',
  durationMs = 0,
): EndedCall {
  return {
    callId: '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f',
    reason,
    direction,
    media: 'video',
    durationMs,
    peer: { username: 'bob', displayName: 'Bob' },
  };
}

/** Bob's name as the sentences carry it: isolated, so it cannot reorder the words around it. */
const BOB = isolateName('Bob');

describe('call notice text', () => {
  test.each([
    [ended('declined'), `${BOB} declined the call`],
    [ended('declined', 'incoming'), `You declined the call from ${BOB}`],
    [ended('busy'), `${BOB} is busy on another call`],
    [ended('missed', 'incoming'), `Missed call from ${BOB}`],
    [ended('no_answer'), `No answer from ${BOB}`],
    [ended('cancelled'), `You cancelled the call to ${BOB}`],
    [ended('hangup', 'outgoing', 42_000), 'Call ended · 0:42'],
    [ended('remote_hangup', 'incoming', 61_500), `${BOB} ended the call · 1:01`],
    [ended('hangup'), 'Call ended'],
    [ended('callee_offline'), `${BOB} is offline. Try again later.`],
    [ended('unknown_user'), 'There is no user called “bob”'],
    [ended('answered_elsewhere', 'incoming'), `Call from ${BOB} answered on another device`],
  ])('%o reads “%s”', (call, text) => {
    expect(callNoticeText(call)).toBe(text);
  });

  test('a name stored before direction controls were refused is isolated without them', () => {
    const legacy = { username: 'mallory', displayName: '\u202Eevil\u202C' };
    const text = callNoticeText({ ...ended('missed', 'incoming'), peer: legacy });
    expect(text).toBe('Missed call from \u2068evil\u2069');
  });

  test('the reasons are exactly those testIds documents for the notice, each with a sentence', () => {
    const source = readFileSync(join(__dirname, '../../../renderer/ui/testIds.ts'), 'utf8');
    const documented = /callNotice:.*data-reason="([^"]+)"/.exec(source)?.[1]?.split('|');
    expect(documented?.sort()).toEqual([...callEndReasons].sort());
    for (const reason of callEndReasons) {
      const text = callNoticeText(ended(reason));
      expect(text.length).toBeGreaterThan(5);
      expect(text).not.toMatch(/[a-z]_[a-z]/); // no raw code leaks into the sentence
    }
  });

  test("a peer that could not answer says which of its inputs failed, never 'declined'", () => {
    expect(callNoticeText(ended('peer_microphone_denied'))).toBe(
      `${BOB} couldn't answer: ${BOB}'s microphone is blocked`,
    );
    expect(callNoticeText(ended('peer_camera_unavailable'))).toBe(
      `${BOB} couldn't answer: ${BOB}'s camera isn't available`,
    );
    expect(callNoticeText(ended('peer_identity_failed'))).toMatch(/could not verify your/);
  });

  test('a call back is offered after ends where calling again makes sense, never after a refusal of keys', () => {
    for (const reason of ['missed', 'no_answer', 'declined', 'busy', 'connection_lost'] as const)
      expect(canCallBack(reason)).toBe(true);
    for (const reason of [
      'identity_failed',
      'peer_identity_failed',
      'unknown_user',
      'too_many_calls',
      'answered_elsewhere',
      'permission_denied',
    ] as const)
      expect(canCallBack(reason)).toBe(false);
  });

  test('media failures say what to do', () => {
    expect(callNoticeText(ended('permission_denied'))).toMatch(/permission.*camera and microphone/);
    expect(callNoticeText(ended('no_device'))).toMatch(/No camera or microphone/);
    expect(callNoticeText(ended('connection_failed'))).toContain(
      `Could not connect the call with ${BOB}`,
    );
  });

  test('an error shows the server detail when there is one', () => {
    expect(callNoticeText({ ...ended('error'), detail: 'You are already in a call.' })).toBe(
      'The call failed: You are already in a call.',
    );
    expect(callNoticeText(ended('error'))).toBe('The call failed');
  });
});

describe('too many calls', () => {
  test("the refusal says so and when to try again, from the server's retryAfterMs", () => {
    const refusal = new SignalingError('too_many_calls', 'calling too often', 19_001);
    expect(endReasonForFailure(refusal)).toBe('too_many_calls');
    expect(callNoticeText({ ...ended('too_many_calls'), detail: describeFailure(refusal) })).toBe(
      "You've made too many calls in a short time. Try again in 20 seconds.",
    );
    expect(callNoticeText(ended('too_many_calls'))).toBe(
      "You've made too many calls in a short time. Wait a moment and try again.",
    );
  });

  test('waits read in seconds, then minutes', () => {
    expect(retryAfterText(1)).toBe('Try again in 1 second.');
    expect(retryAfterText(89_000)).toBe('Try again in 89 seconds.');
    expect(retryAfterText(150_000)).toBe('Try again in 3 minutes.');
  });
});

describe('durations and error codes', () => {
  test('durations read m:ss, and h:mm:ss past an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(9_999)).toBe('0:09');
    expect(formatDuration(600_000)).toBe('10:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
  });

  test('invite refusals map to their notice; anything else is a generic error', () => {
    expect(endReasonForError('callee_offline')).toBe('callee_offline');
    expect(endReasonForError('unknown_user')).toBe('unknown_user');
    expect(endReasonForError('glare')).toBe('glare');
    expect(endReasonForError('too_many_calls')).toBe('too_many_calls');
    expect(endReasonForError('already_in_call')).toBe('error');
  });
});

describe('server refusals of a call', () => {
  const developerMessage = 'callId: this call id was already used';

  test.each(everyFailure)('%s ends the call with a sentence, never the server message', (code) => {
    const detail = describeFailure(new SignalingError(code, developerMessage, 60_000));
    const text = callNoticeText({
      ...ended(endReasonForFailure(new SignalingError(code, ''))),
      detail,
    });
    expectSentence(text, developerMessage);
  });

  test('a refusal the call can get is worded, and an exception shows no developer text', () => {
    expect(callNoticeText({ ...ended('error'), detail: callErrorText('already_in_call') })).toBe(
      'The call failed: You are already in a call.',
    );
    expect(callErrorText('call_state')).toBe('The call had already ended or changed.');
    expect(describeFailure(new TypeError('x is undefined'))).toBeUndefined();
  });
});
