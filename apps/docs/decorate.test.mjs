// The docs' additions to a spec: known gaps (x-scrm-known-gaps) listed in the reference's introduction for any vendor
// that declares them, and the "at least one of" parameter rule on its operation.
import { describe, expect, it } from 'vitest';
import { bundledSpec, vendorNames } from '@scrm-openapi/vendors';
import { decorate, knownGapsSection } from './decorate.mjs';

const spec = (extra = {}) => ({
  openapi: '3.1.0',
  info: { title: 'Acme', version: '1', description: 'Intro.' },
  paths: {
    '/thing': {
      get: {
        operationId: 'getThing',
        description: 'Reads a thing.',
        'x-scrm-source': { url: 'https://docs.acme.invalid/thing', confidence: 'doc' },
        'x-scrm-at-least-one-of': ['id', 'name'],
      },
    },
  },
  ...extra,
});
const gap = {
  title: '下载录音',
  kind: 'operation',
  reason: 'No page gives its path.',
  searched: ['search corpus docs: 下载录音', 'the vendor menu'],
  seenIn: ['Apifox menu'],
  lastSearched: '2026-12-06',
};

describe('docs decoration', () => {
  it('lists each known gap, with why and where we looked, after the introduction (zh + en)', () => {
    const out = decorate(spec({ 'x-scrm-known-gaps': [gap] }));
    const text = out.info.description;
    expect(text.startsWith('Intro.')).toBe(true);
    expect(text).toContain('## 已知缺口 Known gaps');
    expect(text).toContain('1 item(s) the vendor lists but this spec leaves out');
    expect(text).toContain('**下载录音** (接口 operation) — No page gives its path.');
    expect(text).toContain('查找过 Searched (2026-12-06): search corpus docs: 下载录音; the vendor menu');
    expect(text).toContain('出现在 Seen in: Apifox menu');
  });

  it('adds nothing to a spec without known gaps, and never changes the spec it is given', () => {
    const input = spec();
    expect(knownGapsSection(input)).toBe('');
    expect(decorate(input).info.description).toBe('Intro.');
    expect(input.paths['/thing'].get.description).toBe('Reads a thing.');
  });

  it('says what the call does first, then the "at least one of" rule, then the provenance', () => {
    const description = decorate(spec()).paths['/thing'].get.description;
    expect(description.startsWith('Reads a thing.\n\n')).toBe(true);
    const rule = description.indexOf('`id` / `name` 至少给出一个');
    const provenance = description.indexOf('> **来源 Provenance** — confidence `doc`');
    expect(rule).toBeGreaterThan(0);
    expect(provenance).toBeGreaterThan(rule);
  });

  it("lists every known gap of this repository's specs on their reference (Jijyun's AI外呼 gaps among them)", () => {
    const withGaps = vendorNames.filter((v) => (bundledSpec(v)['x-scrm-known-gaps'] ?? []).length > 0);
    expect(withGaps).toContain('jijyun');
    for (const v of withGaps) {
      const text = decorate(bundledSpec(v)).info.description;
      for (const g of bundledSpec(v)['x-scrm-known-gaps']) expect(text).toContain(`**${g.title}**`);
    }
    expect(decorate(bundledSpec('jijyun')).info.description).toContain('**下载通话录音**');
  });
});
