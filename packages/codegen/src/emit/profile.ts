// profile.ts: the runtime profile compiled from x-scrm-* and the paginated-operation type map.
import type { VendorProfile } from '@scrm-openapi/core';
import { header, literal, pascal, q, type EmitContext } from './format.js';

export function emitProfile(profile: VendorProfile, ctx: EmitContext): string {
  const { vendor } = ctx;
  const Name = pascal(vendor);
  const pageTypes = Object.entries(profile.operations)
    .flatMap(([key, m]) => {
      if (!m.pagination) return [];
      const [method, p] = [key.slice(0, key.indexOf(' ')).toLowerCase(), key.slice(key.indexOf(' ') + 1)];
      const page = `SuccessBody<paths[${q(p)}][${q(method)}]>`;
      const item = m.pagination.items.split('.').reduce((acc, k) => `NonNullable<${acc}>[${q(k)}]`, page);
      return [`  ${q(p)}: {\n    method: ${q(method)};\n    page: ${page};\n    item: NonNullable<${item}>[number];\n  };`];
    })
    .join('\n');
  return `${header(ctx)}import type { VendorProfile } from '@scrm-openapi/core';
import type { paths } from './openapi.js';

/**
 * The runtime profile of ${vendor}: envelope, auth, error actions and per-operation metadata from the spec's x-scrm-*
 * extensions. Typed as \`VendorProfile\`, not as its literal: a literal type of every operation would make each
 * consumer's type-check parse a second copy of the spec.
 */
export const profile: VendorProfile = ${literal(profile)};

type SuccessBody<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** Paginated operations: the HTTP method, the page body and the item type \`paginate()\` yields. */
export type ${Name}Paginated = {
${pageTypes}
};
`;
}
