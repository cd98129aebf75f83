import {
  noQualityReasons,
  qualityIndicator,
} from '../../../../renderer/call/quality/qualityIndicator';

const fine = { callPoor: false, ownLinkPoor: false, peerLinkPoor: false };

describe('qualityIndicator', () => {
  test('nothing shows while the call is fine', () => {
    expect(qualityIndicator(fine, 'Bob', noQualityReasons)).toBeNull();
  });

  test('our own link poor: the indicator says it is ours', () => {
    expect(
      qualityIndicator(
        { callPoor: true, ownLinkPoor: true, peerLinkPoor: false },
        'Bob',
        noQualityReasons,
      ),
    ).toEqual({
      blame: 'self',
      text: 'Your connection is unstable',
      details: 'Last check: no problem seen',
    });
  });

  test('the peer reported its link poor: the indicator names the peer, even before our stats agree', () => {
    const expected = {
      blame: 'peer',
      text: "Bob Marley's connection is unstable",
      details: "Last check: Bob Marley's app reports its link unstable",
    };
    expect(
      qualityIndicator({ ...fine, peerLinkPoor: true }, 'Bob Marley', noQualityReasons),
    ).toEqual(expected);
    expect(
      qualityIndicator(
        { ...fine, callPoor: true, peerLinkPoor: true },
        'Bob Marley',
        noQualityReasons,
      ),
    ).toEqual(expected);
  });

  test('a poor call neither side can be blamed for gets a neutral indicator', () => {
    expect(qualityIndicator({ ...fine, callPoor: true }, 'Bob', noQualityReasons)).toEqual({
      blame: 'unknown',
      text: 'Connection is unstable',
      details: 'Last check: no problem seen',
    });
  });

  test("the details name what the latest sample found wrong, the call's and our link's apart", () => {
    const shown = qualityIndicator(
      { callPoor: true, ownLinkPoor: true, peerLinkPoor: false },
      'Bob',
      {
        call: ['outbound loss', 'round trip'],
        ownLink: ['pings lost'],
      },
    );
    expect(shown?.details).toBe(
      'Last check: call: outbound loss, round trip; your link to the server: pings lost',
    );
    expect(
      qualityIndicator({ ...fine, callPoor: true }, 'Bob', { call: ['freezes'], ownLink: [] })
        ?.details,
    ).toBe('Last check: call: freezes');
  });
});
