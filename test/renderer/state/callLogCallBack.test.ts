import type { CallMedia } from '../../../protocol';
import type { CallLogEntry } from '../../../renderer/state/CallLogModel';
import { callBack, callBackOf } from '../../../renderer/state/callLogCallBack';

const FSI = '\u2068';
const PDI = '\u2069';
const named = (name: string) => `${FSI}${name}${PDI}`;

const entry = (
  media: CallMedia,
  group?: { username: string; displayName: string; joined: boolean }[],
): CallLogEntry => ({
  callId: '6f1c1f4e-8a55-4c6b-9d83-2f1f0b7a9e10',
  direction: 'incoming',
  peer: { username: 'bob', displayName: 'Bob Marley' },
  media,
  outcome: 'answered',
  startedAt: 1_700_000_000_000,
  answeredAt: 1_700_000_002_000,
  endedAt: 1_700_000_062_000,
  durationMs: 60_000,
  count: 1,
  ...(group ? { group: { others: group } } : {}),
});

/** Records where a press of "Call back" went. */
function targets() {
  const placed: string[] = [];
  return {
    placed,
    targets: {
      callPerson: async (username: string, media: CallMedia) => {
        placed.push(`person ${username} ${media}`);
      },
      callGroup: async (media: CallMedia, usernames: readonly string[]) => {
        placed.push(`group ${media} ${usernames.join(',')}`);
      },
    },
  };
}

describe('"Call back" on a call-log row', () => {
  test('calls the one person back on a 1:1 row, with the same media', async () => {
    const { placed, targets: to } = targets();
    await callBack(entry('audio'), to);
    expect(placed).toEqual(['person bob audio']);
    expect(callBackOf(entry('audio'))).toMatchObject({
      label: `Call ${named('Bob Marley')} back (voice)`,
      title: 'Call back',
    });
  });

  test('starts a new group call on a group row, ringing everyone else in it with the same media', async () => {
    const row = entry('video', [
      { username: 'bob', displayName: 'Bob Marley', joined: true },
      { username: 'carol', displayName: 'Carol', joined: true },
      // Rung but never in the call: rung again, as the call log shows them.
      { username: 'dan', displayName: 'Dan', joined: false },
    ]);
    const { placed, targets: to } = targets();
    await callBack(row, to);
    expect(placed).toEqual(['group video bob,carol,dan']);
    expect(callBackOf(row)).toMatchObject({
      title: 'Call the group back',
      label: `Call the group back (video): ${named('Bob Marley')}, ${named('Carol')}, ${named('Dan')}`,
    });
  });

  test('keeps a voice group call a voice call', async () => {
    const { placed, targets: to } = targets();
    await callBack(
      entry('audio', [{ username: 'carol', displayName: 'Carol', joined: false }]),
      to,
    );
    expect(placed).toEqual(['group audio carol']);
  });
});
