/**
 * Four projects: `node` (unit and integration, parallel), `e2e` (real Chromium, run in band),
 * `netlab` (calls across network namespaces the tests build: needs root, run in band) and
 * `electron` (the desktop app through Playwright's Electron driver, where a binary exists).
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic', importSource: 'preact' } },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

module.exports = {
  globalSetup: '<rootDir>/test/buildOnce.js',
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '<rootDir>/test/e2e/',
        '<rootDir>/test/netlab/',
        '<rootDir>/test/electron/',
      ],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
    {
      // Namespaces, nftables, tc, coturn and Chromium inside the lab: root only, one file at a time.
      displayName: 'netlab',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/netlab/**/*.test.ts'],
    },
    {
      // Playwright's Electron driver: runs wherever an Electron binary is installed.
      displayName: 'electron',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/electron/**/*.test.ts'],
    },
  ],
};
