#!/usr/bin/env node
// scrm-codegen --spec <bundled openapi.json> --out <dir> [--vendor <name>: checked against the spec's x-scrm-vendor]
import { parseArgs } from 'node:util';
import { generate, SpecError } from '../src/generate.mjs';

const { values } = parseArgs({
  options: { spec: { type: 'string' }, vendor: { type: 'string' }, out: { type: 'string' } },
});
if (!values.spec || !values.out) {
  console.error('usage: scrm-codegen --spec <bundled openapi.json> --out <dir> [--vendor <name>]');
  process.exit(2);
}
try {
  const files = await generate({ specPath: values.spec, vendor: values.vendor, outDir: values.out });
  console.log(`scrm-codegen: wrote ${files.length} files to ${values.out}`);
} catch (error) {
  console.error(`scrm-codegen: ${error instanceof SpecError ? 'spec error: ' : ''}${error.message}`);
  process.exit(1);
}
