// Mutation testing of @scrm-openapi/redis (StrykerJS + vitest, real redis-server). Run with `npm run test:mutation`
// or `nice -n 19 npx stryker run stryker.redis.config.mjs`. Results: reports/mutation/redis/ (gitignored).
//
// The multi-process tests spawn src/test-support/worker.mjs, a plain Node process that imports the *built* package
// (`@scrm-openapi/redis`, which from inside packages/redis resolves to the package itself, i.e. packages/redis/dist
// of the sandbox). So that those processes run the mutants too:
//   - buildCommand compiles the instrumented sources into the sandbox's packages/redis/dist;
//   - stryker.redis.setup.mjs passes the active mutant to the workers through their environment;
//   - coverageAnalysis is "all", not "perTest": coverage is only seen in the test process, so perTest would never
//     pick a multi-process test for a mutant. Every covered mutant runs the whole redis suite (bail on first failure).
// Mutants that only a worker process executes (never the test process) still show as "no coverage": Stryker cannot
// see coverage from child processes.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.redis.vitest.mjs', dir: 'packages/redis' },
  mutate: [
    'packages/redis/src/**/*.ts',
    '!packages/redis/src/**/*.test.ts',
    '!packages/redis/src/**/test-support{.ts,/**}',
  ],
  buildCommand: 'tsc -p packages/redis/tsconfig.build.json',
  ignorePatterns: [
    '/*',
    '!/package.json',
    '!/tsconfig.base.json',
    '!/vitest.shared.mjs',
    '!/stryker.redis.vitest.mjs',
    '!/stryker.redis.setup.mjs',
    '!/packages',
    '/packages/*',
    '!/packages/redis',
  ],
  coverageAnalysis: 'all',
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
