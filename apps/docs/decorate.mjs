// What the docs add to a bundled spec before Redoc renders it: after each operation's own description (what the call
// does comes first), its parameter rules (x-scrm-at-least-one-of) and then its provenance (confidence, source, what it
// was checked against), and the
// vendor's known gaps (x-scrm-known-gaps) at the end of the reference's introduction. Any vendor whose spec carries
// these extensions gets them; nothing here names a vendor.

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function provenance(op) {
  const s = op['x-scrm-source'];
  if (!s) return '';
  const where = s.url ? `[${s.docId ?? 'source'}](${s.url})` : (s.docId ?? '—');
  const parts = [`**来源 Provenance** — confidence \`${s.confidence}\` · source ${where}`];
  if (s.checkedAgainst?.length) parts.push(`checked against: ${s.checkedAgainst.join('; ')}`);
  if (s.note) parts.push(`note: ${s.note}`);
  return `> ${parts.join('\n>\n> ')}\n`;
}

function parameterRules(op) {
  const names = op['x-scrm-at-least-one-of'];
  if (!names?.length) return '';
  const list = names.map((n) => `\`${n}\``).join(' / ');
  return `> **参数规则 Parameter rule** — ${list} 至少给出一个；give at least one of them (each is optional on its own).\n\n`;
}

/** The vendor's known gaps as a Markdown section (简体中文 first, English alongside), or '' when it has none. */
export function knownGapsSection(spec) {
  const gaps = spec['x-scrm-known-gaps'] ?? [];
  if (gaps.length === 0) return '';
  const kind = { operation: '接口 operation', webhook: '回调 callback' };
  const items = gaps.map((g) => {
    const lines = [`- **${g.title}** (${kind[g.kind] ?? g.kind}) — ${g.reason}`];
    if (g.seenIn?.length) lines.push(`  - 出现在 Seen in: ${g.seenIn.join('; ')}`);
    lines.push(`  - 查找过 Searched${g.lastSearched ? ` (${g.lastSearched})` : ''}: ${g.searched.join('; ')}`);
    return lines.join('\n');
  });
  return [
    '## 已知缺口 Known gaps',
    '',
    `供应商列出、但本规范未收录的 ${gaps.length} 项：没有可查到的资料给出其路径或报文，因此不在类型、客户端和沙箱中。`,
    `${gaps.length} item(s) the vendor lists but this spec leaves out: no reachable source gives their path or payload, so the types, the client and the sandbox do not have them.`,
    '',
    ...items,
    '',
  ].join('\n');
}

/** A copy of the bundled spec with the docs' additions (the spec itself is not changed). */
export function decorate(spec) {
  const copy = structuredClone(spec);
  const visit = (item) => {
    for (const m of METHODS) {
      if (!item?.[m]) continue;
      const own = (item[m].description ?? '').trimEnd();
      item[m].description = [own, parameterRules(item[m]).trimEnd(), provenance(item[m]).trimEnd()].filter(Boolean).join('\n\n');
    }
  };
  Object.values(copy.paths ?? {}).forEach(visit);
  Object.values(copy.webhooks ?? {}).forEach(visit);
  const gaps = knownGapsSection(copy);
  if (gaps) copy.info = { ...copy.info, description: `${(copy.info?.description ?? '').trimEnd()}\n\n${gaps}` };
  return copy;
}
