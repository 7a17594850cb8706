import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { END, renderVocabularyDocs, replaceVocabularySection, START } from './vocabulary-docs.js';
import { vocabulary } from './vocabulary.mjs';

const readme = await readFile(new URL('../../../specs/README.md', import.meta.url), 'utf8');

describe('x-scrm vocabulary docs (specs/README.md)', () => {
  it('the committed section is what the schema generates (run `npm run generate` after changing the schema)', () => {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start, end + END.length)).toBe(renderVocabularyDocs());
  });

  it('documents every extension, each with a description', () => {
    const docs = renderVocabularyDocs();
    for (const [place, extensions] of Object.entries(vocabulary)) {
      for (const [key, schema] of Object.entries(extensions)) {
        expect(docs, `${place} ${key}`).toContain(`#### \`${key}\``);
        expect(schema.description, `${place} ${key}`).toBeTruthy();
      }
    }
  });

  it('replaces only the section between the markers', () => {
    const before = `# Title\n\nintro\n\n${START}\nstale\n${END}\n\n## After\n`;
    expect(replaceVocabularySection(before)).toBe(`# Title\n\nintro\n\n${renderVocabularyDocs()}\n\n## After\n`);
  });
});
