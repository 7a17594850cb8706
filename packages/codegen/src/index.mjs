export { generate, buildProfile, buildCallbackFields, SpecError } from './generate.mjs';
export { collectOperations, createSpecValidator, checkOperationExamples } from './check-examples.mjs';
export { specConformanceSuite } from './spec-suite.mjs';
export { bundleAt, checkChangesets, classify, readChangesets, requiredBump } from './spec-diff.mjs';
