#!/usr/bin/env node
// Writes specs/<vendor>/dist/openapi.json from the bundled dist/openapi.yaml, so that each spec is bundled by
// Redocly once (the JSON is the same document). Run by each spec package's `bundle` script.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const dist = path.join(path.resolve(process.argv[2] ?? '.'), 'dist');
const spec = parse(readFileSync(path.join(dist, 'openapi.yaml'), 'utf8'));
writeFileSync(path.join(dist, 'openapi.json'), JSON.stringify(spec, null, 2));
