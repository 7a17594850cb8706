export { generate, buildProfile, SpecError } from './generate.mjs';
export { collectOperations, createSpecValidator, checkOperationExamples } from './check-examples.mjs';
