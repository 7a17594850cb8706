// Mutation testing of @scrm-openapi/core (StrykerJS + vitest). Run with `npm run test:mutation` (both groups) or
// `nice -n 19 npx stryker run stryker.core.config.mjs`. Results: reports/mutation/core/ (gitignored), summarised
// into bench/MUTATION.md by scripts/mutation-summary.mjs.
//
// Directory globs, not file names: any new module under packages/core/src is mutated without touching this file.
// Excluded: tests, test helpers (the `./testing` fake fetch and any test-support file or folder) and type-only
// declaration files.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/core/vitest.config.mjs', dir: 'packages/core' },
  mutate: [
    'packages/core/src/**/*.ts',
    '!packages/core/src/**/*.test.ts',
    '!packages/core/src/**/testing.ts',
    '!packages/core/src/**/test-support{.ts,/**}',
  ],
  // Copy only what core's tests need into the sandbox (the root files its configs extend, and core itself).
  ignorePatterns: ['/*', '!/package.json', '!/tsconfig.base.json', '!/vitest.shared.mjs', '!/packages', '/packages/*', '!/packages/core'],
  coverageAnalysis: 'perTest',
  // polite on a shared 2-core machine; the script runs Stryker under `nice -n 19` as well
  concurrency: 1,
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 10,
  incremental: true,
  incrementalFile: 'reports/mutation/core/stryker-incremental.json',
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/core/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/core/index.html' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
