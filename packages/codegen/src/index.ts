export { generate, type GenerateOptions } from './generate.js';
export { buildProfile, compileModel, type CompiledModel, type SandboxFacts } from './compile.js';
export { buildCallbackFields, type CallbackFields } from './emit/callbacks.js';
export { loadSpec, validateSpec, SpecError, type Spec } from './spec.js';
export { checkExtension, checkExtensions, vocabulary, vocabularySchema, type VocabularyProblem } from './vocabulary.mjs';
export { renderVocabularyDocs, updateVocabularySection } from './vocabulary-docs.js';
export {
  collectOperations,
  createSpecValidator,
  checkOperationExamples,
  type ExampleCheck,
  type SpecOperation,
  type SpecValidator,
} from './check-examples.js';
export { specConformanceSuite, type ConformanceExpectations } from './spec-suite.js';
export { bundleAt, checkChangesets, classify, readChangesets, requiredBump, type Bump, type SpecChange } from './spec-diff.js';
