// Jest globalSetup: bundles every process once per run, before any test reads dist/. Tests never
// build themselves, so parallel workers never race on the same files.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function buildOnce() {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
};
