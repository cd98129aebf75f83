import { contentSecurityPolicy } from '../../../main/security/contentSecurityPolicy';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name as string, values.join(' ')];
    }),
  );
}

describe('content security policy', () => {
  it('allows only the app itself plus the signaling server WebSocket origin', () => {
    const csp = directives(contentSecurityPolicy('ws://127.0.0.1:41234/ws'));
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('img-src')).toBe("'self' data: blob:");
    expect(csp.get('media-src')).toBe("'self' blob: mediastream:");
    expect(csp.get('connect-src')).toBe("'self' ws://127.0.0.1:41234");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
  });

  it('never allows inline script or eval', () => {
    const csp = contentSecurityPolicy('wss://parley.example.com/ws');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(directives(csp).get('connect-src')).toBe("'self' wss://parley.example.com");
  });

  it('refuses a server URL that is not ws: or wss:, and cannot be used to inject directives', () => {
    expect(() => contentSecurityPolicy('https://parley.example.com/')).toThrow(
      'must be ws: or wss:',
    );
    expect(() => contentSecurityPolicy('not a url')).toThrow();
    const csp = contentSecurityPolicy("ws://host.example/ws; script-src 'unsafe-inline'");
    expect(csp).not.toContain('unsafe-inline');
  });
});
