import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The directives of the page's meta CSP, the policy that applies even if a header is lost. */
function metaPolicy(page: string): Map<string, string> {
  const html = readFileSync(join(__dirname, '..', '..', 'renderer', page), 'utf8');
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error(`${page} has no meta CSP`);
  return new Map(
    match[1].split(';').map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name as string, values.join(' ')];
    }),
  );
}

describe('meta CSP of the pages', () => {
  it.each(['index.html', 'incoming/incoming.html', 'picker/picker.html'])(
    '%s loads no plugin, resets no base URL and submits no form',
    (page) => {
      const policy = metaPolicy(page);
      expect(policy.get('object-src') ?? policy.get('default-src')).toBe("'none'");
      expect(policy.get('base-uri')).toBe("'none'");
      expect(policy.get('form-action')).toBe("'none'");
      expect([...policy.values()].join(' ')).not.toMatch(/unsafe-|\*/);
    },
  );

  it.each(['incoming/incoming.html', 'picker/picker.html'])('%s may connect nowhere', (page) => {
    const policy = metaPolicy(page);
    expect(policy.get('connect-src') ?? policy.get('default-src')).toBe("'none'");
  });

  it('the picker page shows images only from data URLs, scripts only its own', () => {
    const policy = metaPolicy('picker/picker.html');
    expect(policy.get('img-src')).toBe('data:');
    expect(policy.get('script-src')).toBe("'self'");
  });
});
