import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import type { BrowserName } from './harness/e2eEnvironment';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyUser } from './harness/parleyUser';

// Real Chromium and real Firefox, real calls on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment({ firefox: true }, { closeClientsAfterEach: true });

/**
 * Runs in the page before any of its scripts (it is serialized: self-contained): records every
 * content security policy violation the page reports, from its first script on.
 */
function recordSecurityPolicyViolations(): void {
  const seen: string[] = [];
  Object.defineProperty(window, '__securityPolicyViolations', { value: seen });
  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      const where = `${event.sourceFile || '(page)'}:${event.lineNumber}`;
      seen.push(
        `${event.effectiveDirective} refused ${event.blockedURI || '(inline)'} at ${where}`,
      );
    },
    true,
  );
}

function securityPolicyViolations(user: ParleyUser): Promise<string[]> {
  return user.port.evaluate(
    () => [
      ...(window as unknown as { __securityPolicyViolations: string[] }).__securityPolicyViolations,
    ],
    undefined,
  );
}

const calls: [BrowserName, BrowserName, [string, string], [string, string]][] = [
  ['Chromium', 'Firefox', ['carla', 'Carla Bley'], ['fabio', 'Fabio Biondi']],
  ['Firefox', 'Chromium', ['felix', 'Felix Mendelssohn'], ['chloe', 'Chloe Zhao']],
];

test.each(calls)(
  'a call from %s to %s, from page load through hang-up, shows no console error and breaks no content security policy on either side',
  async (callerBrowser, calleeBrowser, callerName, calleeName) => {
    const options = { initScripts: [recordSecurityPolicyViolations] };
    const caller = await env.registeredUserIn(callerBrowser, ...callerName, options);
    const callee = await env.registeredUserIn(calleeBrowser, ...calleeName, options);
    await becomeContacts(caller, callee);
    await caller.callContact(callee.username);
    await answerAndConnect(caller, callee);
    for (const user of [caller, callee]) {
      await user.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
    }
    await expectMediaStillFlowing([caller, callee]);
    await caller.click(testIds.muteButton);
    await callee.waitForRemoteMuted(true);
    await caller.click(testIds.hangupButton);
    await caller.waitForCallEnded('hangup');
    await callee.waitForCallEnded('remote_hangup');

    for (const user of [caller, callee]) {
      expect({ user: user.username, errors: user.consoleErrors() }).toEqual({
        user: user.username,
        errors: [],
      });
      expect({
        user: user.username,
        violations: await securityPolicyViolations(user),
      }).toEqual({ user: user.username, violations: [] });
    }
  },
);
