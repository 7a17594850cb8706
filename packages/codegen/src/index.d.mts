export interface ExampleCheck {
  label: string;
  schemaPointer: string;
  value: unknown;
}
export interface SpecOperation {
  id: string;
  where: string;
  hasRequestInput: boolean;
  checks: ExampleCheck[];
}
export declare class SpecError extends Error {}
export declare function generate(options: { specPath: string; vendor: string; outDir: string }): Promise<string[]>;
export declare function buildProfile(spec: unknown, vendor: string): Record<string, unknown>;
export declare function buildCallbackFields(spec: unknown): { integers: string[]; lists: Record<string, string>; events: { key: string; operationId: string; match: Record<string, unknown> }[] };
export declare function collectOperations(spec: unknown): SpecOperation[];
export declare function createSpecValidator(spec: unknown): (schemaPointer: string, value: unknown) => string[];
export declare function checkOperationExamples(
  spec: unknown,
  operation: SpecOperation,
  validator?: (schemaPointer: string, value: unknown) => string[],
): string[];
export declare function specConformanceSuite(
  spec: unknown,
  expected: { vendor: string; operations: number; chapters: Record<string, number>; webhooks?: number },
): void;
export type SpecChange = 'breaking' | 'additive' | 'docs-only' | 'unchanged' | 'new';
export declare function classify(basePath: string | undefined, headPath: string, options: { redocly: string }): { change: SpecChange; summary: Record<string, number>; changes: string[] };
export declare function readChangesets(dir: string): Record<string, 'major' | 'minor' | 'patch'>;
export declare function requiredBump(change: SpecChange, version: string): 'major' | 'minor' | 'none';
export declare function checkChangesets(
  results: { vendor: string; change: SpecChange; packages: { name: string; version: string }[] }[],
  bumps: Record<string, string>,
): string[];
export declare function bundleAt(root: string, rev: string, vendor: string, options: { redocly: string }): string | undefined;
