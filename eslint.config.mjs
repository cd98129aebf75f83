// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The layer table: a folder is a process, and each may import only the folders listed here
 * (plus npm packages allowed for it). Everything else is refused at lint time.
 */
const layers = {
  protocol: { folders: [], packages: ['zod'] },
  server: { folders: ['protocol'], packages: null },
  main: { folders: ['protocol'], packages: null },
  preload: { folders: ['protocol'], packages: ['electron'] },
  renderer: {
    folders: ['protocol'],
    packages: ['preact', '@preact/signals', 'zod', 'qrcode-generator', 'mediasoup-client'],
  },
};
const allFolders = ['protocol', 'server', 'main', 'preload', 'renderer'];

function layerRule(layer) {
  const { folders, packages } = layers[layer];
  const forbidden = allFolders.filter((f) => f !== layer && !folders.includes(f));
  const patterns = [
    {
      group: forbidden.flatMap((f) => [`**/${f}`, `**/${f}/**`]),
      message: `${layer}/ may import only: ${[layer, ...folders].join(', ')}`,
    },
  ];
  if (packages) {
    const allowed = packages.map((p) => p.replace(/[/.]/g, '\\$&')).join('|');
    patterns.push({
      regex: `^(?!\\.|(${allowed})(/|$))`,
      message: `${layer}/ may use only these packages: ${packages.join(', ') || 'none'}`,
    });
  }
  return {
    files: [`${layer}/**/*.{ts,tsx}`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'data/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...Object.keys(layers).map(layerRule),
  prettier,
);
