#!/usr/bin/env node
// scrm-codegen --spec <bundled openapi.json> --out <dir> [--vendor <name>: checked against the spec's x-scrm-vendor]
//              [--profile <path>: where the compiled model goes; default profile.json beside the spec]
// scrm-codegen docs --readme <specs/README.md>   (rewrites the generated x-scrm vocabulary section)
// Runs the compiled codegen (dist/): `turbo run build --filter=@scrm-openapi/codegen` first (turbo's generate does).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

if (!existsSync(new URL('../dist/index.js', import.meta.url))) {
  console.error(
    'scrm-codegen: not built yet; run `npx turbo run build --filter=@scrm-openapi/codegen` (turbo run generate does it for you)',
  );
  process.exit(1);
}
const { generate, SpecError, updateVocabularySection } = await import('../dist/index.js');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    spec: { type: 'string' },
    vendor: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'string' },
    readme: { type: 'string' },
  },
});
try {
  if (positionals[0] === 'docs') {
    if (!values.readme) {
      console.error('usage: scrm-codegen docs --readme <specs/README.md>');
      process.exit(2);
    }
    const changed = await updateVocabularySection(values.readme);
    console.log(`scrm-codegen: ${values.readme} ${changed ? 'updated' : 'already up to date'}`);
  } else {
    if (!values.spec || !values.out || positionals.length > 0) {
      console.error('usage: scrm-codegen --spec <bundled openapi.json> --out <dir> [--vendor <name>] [--profile <path>]');
      process.exit(2);
    }
    const files = await generate({ specPath: values.spec, vendor: values.vendor, outDir: values.out, profileJson: values.profile });
    console.log(`scrm-codegen: wrote ${files.length} files to ${values.out}`);
  }
} catch (error) {
  const e = /** @type {Error} */ (error);
  console.error(`scrm-codegen: ${e instanceof SpecError ? 'spec error: ' : ''}${e.message}`);
  process.exit(1);
}
