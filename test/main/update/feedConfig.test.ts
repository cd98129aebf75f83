import { parseFeedConfig } from '../../../main/update/feedConfig';

describe('the update feed from resources/app-update.yml', () => {
  it('reads the generic feed electron-builder writes from electron-builder.yml', () => {
    expect(
      parseFeedConfig(
        'provider: generic\nurl: https://updates.parley.invalid/desktop\nupdaterCacheDirName: parley-updater\n',
      ),
    ).toEqual({ ok: true, feed: { url: 'https://updates.parley.invalid/desktop' } });
    expect(parseFeedConfig("provider: generic\nurl: 'https://example.org/a b'\n")).toEqual({
      ok: true,
      feed: { url: 'https://example.org/a%20b' },
    });
  });

  it('takes plain http only from this machine', () => {
    expect(parseFeedConfig('provider: generic\nurl: http://127.0.0.1:8080/feed\n').ok).toBe(true);
    expect(parseFeedConfig('provider: generic\nurl: http://updates.example.org/feed\n')).toEqual({
      ok: false,
      reason: 'url "http://updates.example.org/feed" is not https',
    });
  });

  it.each([
    ['', 'provider is missing, not generic'],
    ['provider: github\nowner: parley\n', 'provider is github, not generic'],
    ['provider: generic\n', 'no url'],
    ['provider: generic\nurl: not a url\n', 'url "not a url" is not a URL'],
    ['provider: generic\nurl: file:///etc/passwd\n', 'url "file:///etc/passwd" is not https'],
    ['provider: generic\nurl:\n  - https://a.example\n', 'unexpected line "url:"'],
  ])('is no feed for %j: %s', (text, reason) => {
    expect(parseFeedConfig(text)).toEqual({ ok: false, reason });
  });
});
