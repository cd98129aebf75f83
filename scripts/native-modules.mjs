// Builds keytar after its system headers exist. npm runs dependency install scripts before the
// root package's own scripts, so keytar's script is not allowed in package.json and is run here,
// after `system-deps.mjs build` has installed libsecret-1-dev.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keytarDir = join(root, 'node_modules', 'keytar');
if (existsSync(keytarDir) && !existsSync(join(keytarDir, 'build', 'Release', 'keytar.node'))) {
  console.log('native-modules: building keytar');
  execFileSync('npm', ['run', 'build'], { cwd: keytarDir, stdio: 'inherit' });
}
