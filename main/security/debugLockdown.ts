/** Set to 1 to give a development build the installed app's lockdown (the desktop suite does). */
export const LOCKDOWN_ENV = 'PARLEY_LOCKDOWN';

/**
 * Whether debugging is locked down: no DevTools, no DevTools menu, no start with a debugging
 * switch. Always in the installed (packaged) app; the environment can only add the lockdown to a
 * development build, never take it away from an installed one.
 */
export function isDebugLockedDown(packaged: boolean, env: NodeJS.ProcessEnv): boolean {
  return packaged || env[LOCKDOWN_ENV] === '1';
}
