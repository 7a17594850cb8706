// Shared vitest settings: every package writes a JSON report that .ci/run sums into one "N passed, N failed" line.
// Timeouts: many suites start a real sandbox (compiling a spec's validators) or import a whole generated client; on
// a loaded 2-core CI machine that alone can pass vitest's 5 s default. No assertion depends on these limits.
export const sharedTestConfig = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results/vitest.json' },
};
