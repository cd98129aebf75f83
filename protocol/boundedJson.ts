import * as z from 'zod';
import './zodMessages';

/**
 * Limits on an opaque JSON value relayed to or from mediasoup (RTP capabilities and parameters,
 * ICE and DTLS parameters). The server checks the fields it reads itself with exact schemas;
 * for the rest mediasoup does its own validation, so these bound only size and shape.
 */
export const BOUNDED_JSON_MAX_DEPTH = 8;
export const BOUNDED_JSON_MAX_NODES = 4096;
export const BOUNDED_JSON_MAX_STRING = 1024;

/** Keys that could reach an object's prototype if a reader copied the value carelessly. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `value` is not bounded JSON, or null when it is. */
function boundedJsonProblem(value: unknown): string | null {
  let nodes = 0;
  const visit = (node: unknown, depth: number): string | null => {
    nodes += 1;
    if (nodes > BOUNDED_JSON_MAX_NODES) return `more than ${BOUNDED_JSON_MAX_NODES} values`;
    if (node === null || typeof node === 'boolean') return null;
    if (typeof node === 'number')
      return Number.isFinite(node) ? null : 'a number that is not finite';
    if (typeof node === 'string') {
      return node.length > BOUNDED_JSON_MAX_STRING
        ? `a string longer than ${BOUNDED_JSON_MAX_STRING} characters`
        : null;
    }
    if (typeof node !== 'object') return `a ${typeof node}, which JSON has not`;
    if (depth >= BOUNDED_JSON_MAX_DEPTH) return `nested deeper than ${BOUNDED_JSON_MAX_DEPTH}`;
    const children = Array.isArray(node) ? node : Object.values(node);
    if (!Array.isArray(node)) {
      if (Object.getPrototypeOf(node) !== Object.prototype) return 'an object that is not plain';
      const forbidden = Object.keys(node).find((key) => FORBIDDEN_KEYS.has(key));
      if (forbidden !== undefined) return `the key "${forbidden}"`;
    }
    for (const child of children) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return null;
  };
  return visit(value, 0);
}

/**
 * A JSON object within the bounds above, with no key that could reach a prototype. Checked as it
 * is, never copied: a copy made by assignment would turn an own `__proto__` key into a prototype.
 */
export const BoundedJsonObject = z
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'expected a JSON object',
  )
  .superRefine((value, context) => {
    const problem = boundedJsonProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `must not contain ${problem}` });
  });
export type BoundedJsonObject = z.infer<typeof BoundedJsonObject>;
