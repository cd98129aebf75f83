import { readFile } from 'node:fs/promises';
import type * as z from 'zod';

/** What a JSON file in the user data folder held, checked against its schema. */
export type JsonFileContent<T> =
  | { kind: 'missing' }
  | { kind: 'invalid'; problem: 'not valid JSON' | 'not the expected shape' }
  | { kind: 'valid'; value: T };

/**
 * Reads and validates one JSON file. A missing file and a damaged one are ordinary answers (the
 * caller decides what each costs the user); only a file that cannot be read at all throws.
 */
export async function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<JsonFileContent<z.infer<S>>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw new Error(`could not read ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: 'not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { kind: 'valid', value: parsed.data }
    : { kind: 'invalid', problem: 'not the expected shape' };
}
