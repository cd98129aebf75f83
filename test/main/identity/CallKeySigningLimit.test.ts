import {
  CALL_KEY_SIGNING_BURST,
  CALL_KEY_SIGNING_INTERVAL_MS,
  CallKeySigningLimit,
} from '../../../main/identity/CallKeySigningLimit';

describe('how many call key shares main signs', () => {
  const start = 1_000_000;

  it('allows the burst at once, then one more per interval, saying how long to wait', () => {
    const limit = new CallKeySigningLimit();
    for (let i = 0; i < CALL_KEY_SIGNING_BURST; i += 1) expect(limit.take(start)).toBeNull();
    expect(limit.take(start)).toBe(CALL_KEY_SIGNING_INTERVAL_MS);
    expect(limit.take(start + CALL_KEY_SIGNING_INTERVAL_MS / 2)).toBe(
      CALL_KEY_SIGNING_INTERVAL_MS / 2,
    );
    expect(limit.take(start + CALL_KEY_SIGNING_INTERVAL_MS)).toBeNull();
    expect(limit.take(start + CALL_KEY_SIGNING_INTERVAL_MS)).not.toBeNull();
  });

  it('refills up to the burst and no further, however long it was idle', () => {
    const limit = new CallKeySigningLimit();
    limit.take(start);
    const idle = start + 24 * 3600_000;
    for (let i = 0; i < CALL_KEY_SIGNING_BURST; i += 1) expect(limit.take(idle)).toBeNull();
    expect(limit.take(idle)).not.toBeNull();
  });

  it('200 asks in a row (a page hoarding shares) get the burst only', () => {
    const limit = new CallKeySigningLimit();
    let signed = 0;
    for (let i = 0; i < 200; i += 1) if (limit.take(start + i) === null) signed += 1;
    expect(signed).toBe(CALL_KEY_SIGNING_BURST);
  });

  it('a clock that steps back refills nothing', () => {
    const limit = new CallKeySigningLimit();
    for (let i = 0; i < CALL_KEY_SIGNING_BURST; i += 1) limit.take(start);
    expect(limit.take(start - 3_600_000)).not.toBeNull();
    expect(limit.take(start)).not.toBeNull();
  });
});
