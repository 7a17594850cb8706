export { generate, buildProfile, buildCallbackFields, SpecError } from './generate.mjs';
export { collectOperations, createSpecValidator, checkOperationExamples } from './check-examples.mjs';
