// Mutation testing of @scrm-openapi/redis (StrykerJS + vitest, real redis-server). Run with `npm run test:mutation`
// or `nice -n 19 npx stryker run stryker.redis.config.mjs`. Results: reports/mutation/redis/ (gitignored).
//
// The multi-process tests spawn src/test-support/worker.mjs, a plain Node process that imports the *built* package
// (`@scrm-openapi/redis`, which from inside packages/redis resolves to the package itself, i.e. packages/redis/dist
// of the sandbox). So that those processes run the mutants and count for coverage:
//   - buildCommand compiles the instrumented sources into the sandbox's packages/redis/dist;
//   - stryker.redis.setup.mjs (a vitest setup file, added by stryker.redis.vitest.mjs) passes the active mutant to
//     the workers through their environment, and folds the coverage they record (stryker.redis.worker-hook.mjs,
//     preloaded into them) into the test that spawned them (or, for long-lived workers started in a `beforeAll`,
//     into every test of the file), so perTest coverage picks the multi-process tests.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.redis.vitest.mjs', dir: 'packages/redis' },
  mutate: ['packages/redis/src/**/*.ts', '!packages/redis/src/**/*.test.ts', '!packages/redis/src/**/test-support{.ts,/**}'],
  buildCommand: 'tsc -p packages/redis/tsconfig.build.json',
  ignorePatterns: [
    '/*',
    '!/package.json',
    '!/tsconfig.base.json',
    '!/vitest.shared.mjs',
    '!/stryker.redis.vitest.mjs',
    '!/stryker.redis.setup.mjs',
    '!/stryker.redis.worker-hook.mjs',
    '!/packages',
    '/packages/*',
    '!/packages/redis',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 30_000,
  dryRunTimeoutMinutes: 10,
  incremental: true,
  incrementalFile: 'reports/mutation/redis/stryker-incremental.json',
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  jsonReporter: { fileName: 'reports/mutation/redis/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/redis/index.html' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
