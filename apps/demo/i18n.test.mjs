// The demo pages' words come in both languages: the same keys, the same {placeholders}, and every data-i18n key the
// page uses (and every fault kind and SDK action it can show) has a text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { t, TEXT } from './public/i18n.mjs';

const page = (name) => readFileSync(new URL(`./public/${name}`, import.meta.url), 'utf8');
// the pages that take their words from i18n.mjs: the demo and its 服务商 page
const html = page('index.html') + page('providers.html');
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('demo page texts', () => {
  it('zh and en have the same keys and the same placeholders', () => {
    expect(Object.keys(TEXT.en).sort()).toEqual(Object.keys(TEXT.zh).sort());
    for (const key of Object.keys(TEXT.zh)) expect(placeholders(TEXT.en[key]), key).toEqual(placeholders(TEXT.zh[key]));
  });

  it('every key the page names has a text, and so does every fault kind and SDK action it can show', () => {
    const used = [
      ...[...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]),
      // keys the scripts name: t('key') and the 服务商 page's 'providers.*' literals
      ...[...html.matchAll(/\bt\('([^']+)'/g)].map((m) => m[1]),
      ...[...html.matchAll(/'(providers\.[\w.]+)'/g)].map((m) => m[1]),
    ];
    const kinds = [...html.matchAll(/<option value="([^"]+)" data-i18n="kind\./g)].map((m) => `kind.${m[1]}`);
    const actions = ['refresh-token', 'retry', 'throttle', 'fail', 'retried'].map((a) => `action.${a}`);
    for (const key of [...used, ...kinds, ...actions]) expect(TEXT.zh, key).toHaveProperty([key]);
  });

  it('fills placeholders', () => {
    expect(t('zh', 'attempt', { n: 2 })).toBe('第 2 次尝试');
    expect(t('en', 'attempt', { n: 2 })).toBe('attempt 2');
  });
});
