// Every guide is 简体中文 first (guides/<slug>.md) with an English twin (guides/en/<slug>.md) of the same shape: the
// same headings at the same levels, the same tables, and identical code blocks, so the two cannot drift apart.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDES, GUIDES_DIR, guideDir } from './layout.mjs';

/** The outline of a Markdown guide: heading levels, code blocks (verbatim), table shapes, placeholders. */
export function outline(markdown) {
  const code = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[0]);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  return {
    headings: [...prose.matchAll(/^(#{1,6}) /gm)].map((m) => m[1].length),
    code,
    tables: [...prose.matchAll(/^\|(.*)\|\n\|( ?-+ ?\|)+\n((?:\|.*\|\n?)*)/gm)].map((m) => ({
      columns: m[1].split('|').length,
      rows: m[3].trim().split('\n').length,
    })),
    placeholders: [...prose.matchAll(/\{\{\w+\}\}/g)].map((m) => m[0]),
  };
}

const slugs = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3))
    .sort();

describe('guides: zh first, each with its en twin', () => {
  it('every zh guide has an en twin and every en guide a zh original', () => {
    expect(slugs(guideDir('en'))).toEqual(slugs(GUIDES_DIR));
    expect(GUIDES.map((g) => g.slug).sort()).toEqual(slugs(GUIDES_DIR));
  });

  it.each(slugs(GUIDES_DIR))('%s: same headings, tables and code blocks in both languages', (slug) => {
    const zh = readFileSync(path.join(GUIDES_DIR, `${slug}.md`), 'utf8');
    const file = path.join(guideDir('en'), `${slug}.md`);
    expect(existsSync(file), `guides/en/${slug}.md is missing`).toBe(true);
    const en = readFileSync(file, 'utf8');
    expect(outline(en)).toEqual(outline(zh));
    // the zh page is in Chinese (its title at least), the en page in English
    expect(GUIDES.find((g) => g.slug === slug).title.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(GUIDES.find((g) => g.slug === slug).title.en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('notices a twin that drifted: a changed code block or a missing section', () => {
    const zh = '# 标题\n\n## 一\n\n```ts\nconst a = 1;\n```\n';
    expect(outline('# Title\n\n## One\n\n```ts\nconst a = 2;\n```\n')).not.toEqual(outline(zh));
    expect(outline('# Title\n\n```ts\nconst a = 1;\n```\n')).not.toEqual(outline(zh));
    expect(outline('# Title\n\n## One\n\n```ts\nconst a = 1;\n```\n')).toEqual(outline(zh));
  });
});
