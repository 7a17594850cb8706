// Shared vitest settings: every package writes a JSON report that .ci/run sums into one "N passed, N failed" line.
export const sharedTestConfig = {
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results/vitest.json' },
};
