import { fileEnvironment } from './harness/fileEnvironment';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = fileEnvironment();

test("the tab shows Parley's icon, which the server serves as an image", async () => {
  const client = await env.newClient();
  const href = await client.page.evaluate(
    () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null,
  );
  expect(href).not.toBeNull();
  const icon = await fetch(href!);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  expect(await icon.text()).toMatch(/^<svg[\s>]/);
});
