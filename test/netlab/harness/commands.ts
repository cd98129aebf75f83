import { execFileSync } from 'node:child_process';

/**
 * Runs a system command to completion and returns its stdout; a failure throws with the command
 * line and its stderr, so a broken lab step says which one.
 */
export function run(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input === undefined ? {} : { input }),
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  }
}

/** `ip` itself, or `ip -n NS ...` inside a namespace. */
export function ip(args: string[], namespace?: string): string {
  return run('ip', namespace ? ['-n', namespace, ...args] : args);
}

/** Any command inside a namespace, with optional stdin. */
export function inNamespace(
  namespace: string,
  command: string,
  args: string[],
  input?: string,
): string {
  return run('ip', ['netns', 'exec', namespace, command, ...args], input);
}
