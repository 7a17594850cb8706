export { generate, buildProfile, buildCallbackFields, SpecError } from './generate.mjs';
export { collectOperations, createSpecValidator, checkOperationExamples } from './check-examples.mjs';
export { specConformanceSuite } from './spec-suite.mjs';
