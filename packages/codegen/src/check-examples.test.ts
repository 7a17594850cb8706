import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkOperationExamples, collectOperations } from './index.js';

const tiny = parse(await readFile(new URL('../test/fixtures/tiny.yaml', import.meta.url), 'utf8'));

describe('example checker', () => {
  it('passes a spec whose examples match their schemas', () => {
    for (const op of collectOperations(tiny)) expect(checkOperationExamples(tiny, op)).toEqual([]);
  });

  it('reports an example that does not match its schema, with where and why', () => {
    const spec = structuredClone(tiny);
    spec.paths['/things/list'].post.responses['200'].content['application/json'].example.data.things = [{ id: 'one' }];
    const op = collectOperations(spec).find((o) => o.id === 'listThings')!;
    expect(checkOperationExamples(spec, op)).toEqual([
      'path POST /things/list response 200 application/json example: /data/things/0/id must be integer',
    ]);
  });

  it('reports an operation without a success example', () => {
    const spec = structuredClone(tiny);
    delete spec.paths['/token'].get.responses['200'].content['application/json'].example;
    const op = collectOperations(spec).find((o) => o.id === 'getToken')!;
    expect(checkOperationExamples(spec, op)).toContain('path GET /token: no 200 response example');
  });

  it('checks examples of the shared error response through its $ref', () => {
    const spec = structuredClone(tiny);
    spec.components.responses.Error.content['application/json'].example = { msg: 'no code' };
    const op = collectOperations(spec).find((o) => o.id === 'getToken')!;
    expect(checkOperationExamples(spec, op).join('\n')).toMatch(/response default .* must have required property 'code'/);
  });
});
