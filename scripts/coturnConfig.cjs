// Parley's coturn configuration as text: the project's deploy/coturn/turnserver.conf with some
// settings replaced, added or removed. scripts/turn.mjs and the tests that run a real coturn
// both start from that one file, so what they check is what is deployed.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const CONFIG_FILE = join(__dirname, '..', 'deploy', 'coturn', 'turnserver.conf');

/**
 * `settings` maps an option name to `true` (a flag), a string or a list of strings (one line
 * each), or `null` (drop it). Every line of the file that sets one of these options is replaced.
 */
function coturnConfig(settings) {
  const keyOf = (line) => line.trim().split('=')[0];
  const kept = readFileSync(CONFIG_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim().startsWith('#') || !(keyOf(line) in settings));
  const added = Object.entries(settings).flatMap(([key, value]) => {
    if (value === null || value === false) return [];
    if (value === true) return [key];
    return (Array.isArray(value) ? value : [value]).map((item) => `${key}=${item}`);
  });
  return [...kept, '# ---- set by the launcher ----', ...added, ''].join('\n');
}

module.exports = { CONFIG_FILE, coturnConfig };
