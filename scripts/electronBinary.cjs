// Finds an installed Electron binary by looking at files only: require('electron') would try to
// download it (Electron >= 42 fetches its binary at first launch). Returns null when none exists.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function electronBinary(root) {
  const electronDir = join(root, 'node_modules', 'electron');
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  }
  if (!relative) return null;
  const binary = join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

module.exports = { electronBinary };
