// Preloaded (node --require) into Electronegativity by the security test. At start it asks GitHub
// for translations and Electron's release list; tests send nothing off the machine, so every host
// name lookup fails at once, with an error code its HTTP client does not retry (no back-off waits).
const dns = require('node:dns');

function offlineError(hostname) {
  return Object.assign(new Error(`offline test run: no lookup of ${hostname}`), {
    code: 'EPARLEYOFFLINE',
  });
}

dns.lookup = (hostname, options, callback) => {
  const done = typeof options === 'function' ? options : callback;
  process.nextTick(done, offlineError(hostname));
};
dns.promises.lookup = async (hostname) => {
  throw offlineError(hostname);
};
