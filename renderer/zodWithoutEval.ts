import * as z from 'zod';

/**
 * Zod builds its fast object parsers with `new Function` and probes for it when a schema is
 * built. The page's Content-Security-Policy allows no eval, so the probe is a CSP violation
 * (Firefox logs it as an error on every load) and the fast path could never run here anyway.
 * Imported first by every page bundle that carries zod, so it is set before any schema exists.
 */
z.config({ jitless: true });
