import { qualityIndicator } from '../../../../renderer/call/quality/qualityIndicator';

const fine = { callPoor: false, ownLinkPoor: false, peerLinkPoor: false };

describe('qualityIndicator', () => {
  test('nothing shows while the call is fine', () => {
    expect(qualityIndicator(fine, 'Bob')).toBeNull();
  });

  test('our own link poor: the indicator says it is ours', () => {
    expect(
      qualityIndicator({ callPoor: true, ownLinkPoor: true, peerLinkPoor: false }, 'Bob'),
    ).toEqual({
      blame: 'self',
      text: 'Your connection is unstable',
    });
  });

  test('the peer reported its link poor: the indicator names the peer, even before our stats agree', () => {
    const expected = { blame: 'peer', text: "Bob Marley's connection is unstable" };
    expect(qualityIndicator({ ...fine, peerLinkPoor: true }, 'Bob Marley')).toEqual(expected);
    expect(qualityIndicator({ ...fine, callPoor: true, peerLinkPoor: true }, 'Bob Marley')).toEqual(
      expected,
    );
  });

  test('a poor call neither side can be blamed for gets a neutral indicator', () => {
    expect(qualityIndicator({ ...fine, callPoor: true }, 'Bob')).toEqual({
      blame: 'unknown',
      text: 'Connection is unstable',
    });
  });
});
