// The vendor registry. A vendor is a workspace whose openapi.yaml carries `x-scrm-vendor`; everything tools, the
// docs and the demo need to know about it comes from that spec (and the workspace layout), never from a list kept
// by hand. Adding a vendor is adding its spec folder and package folder: see CONTRIBUTING.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository this module lives in. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every workspace folder of the repository at `root` (the `workspaces` globs of its package.json: `dir/*` or `dir`). */
export function workspaceDirs(root = REPO_ROOT) {
  // a checkout without a root manifest (a scratch copy of a spec, as the spec-diff gate's test makes) has this layout
  const manifest = path.join(root, 'package.json');
  const patterns = (existsSync(manifest) ? readJson(manifest).workspaces : undefined) ?? ['specs/*', 'packages/*', 'apps/*'];
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return existsSync(path.join(root, pattern, 'package.json')) ? [path.join(root, pattern)] : [];
    const parent = path.join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(parent, d.name, 'package.json')))
      .map((d) => path.join(parent, d.name));
  });
}

/** `marketingApiKey` → `MARKETING_API_KEY`. */
const envName = (...parts) =>
  parts
    .map((p) =>
      p
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .toUpperCase(),
    )
    .join('_');
/** `wecom` → `Wecom`, `foo-bar` → `FooBar`. */
const pascal = (name) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

function describe(name, specDir, spec, packages) {
  const specPackage = readJson(path.join(specDir, 'package.json')).name;
  if (specPackage !== `@scrm-openapi/${name}-spec`) {
    throw new Error(
      `${path.relative(REPO_ROOT, specDir)}: x-scrm-vendor is ${name}, so its package must be named @scrm-openapi/${name}-spec (it is ${specPackage})`,
    );
  }
  const clientPackage = `@scrm-openapi/${name}`;
  const packageDir = packages.get(clientPackage);
  const auth = spec['x-scrm-auth'] ?? {};
  const options = Object.entries(auth.credentials ?? {});
  const required = (wire) => auth.type !== 'static' || wire === auth.default;
  return {
    name,
    displayName: spec.info?.['x-scrm-display-name'] ?? spec.info?.title ?? name,
    displayOrder: Number.isInteger(spec.info?.['x-scrm-display-order']) ? spec.info['x-scrm-display-order'] : undefined,
    specDir,
    specPackage,
    packageDir,
    clientPackage: packageDir ? clientPackage : undefined,
    factory: `create${pascal(name)}Client`,
    callbackFactory: `create${pascal(name)}Callback`,
    credentials: options.map(([wire, option]) => ({ option, wire, required: required(wire), env: envName(name, option) })),
    sandboxCredentials: { ...(spec['x-scrm-sandbox']?.credentials ?? {}) },
  };
}

/**
 * The vendors of the repository at `root`, in the order their specs declare (`info.x-scrm-display-order`; vendors
 * without one after those with one; ties by name).
 */
export function listVendors(root = REPO_ROOT) {
  const dirs = workspaceDirs(root);
  const packages = new Map(dirs.map((dir) => [readJson(path.join(dir, 'package.json')).name, dir]));
  const found = [];
  for (const dir of dirs) {
    const file = path.join(dir, 'openapi.yaml');
    if (!existsSync(file)) continue;
    const spec = parse(readFileSync(file, 'utf8'));
    const name = spec?.['x-scrm-vendor'];
    if (typeof name !== 'string') continue;
    if (!/^[a-z][a-z0-9-]*$/.test(name))
      throw new Error(`${path.relative(root, file)}: x-scrm-vendor must be a lower-case short name, not ${JSON.stringify(name)}`);
    found.push(describe(name, dir, spec, packages));
  }
  const dup = found.find((v, i) => found.findIndex((w) => w.name === v.name) !== i);
  if (dup) throw new Error(`two specs claim x-scrm-vendor ${dup.name}`);
  const order = (v) => v.displayOrder ?? Number.MAX_SAFE_INTEGER;
  found.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
  return found;
}

/** The vendors of this repository. */
export const vendors = listVendors();
export const vendorNames = vendors.map((v) => v.name);

/** One vendor of this repository; throws on a name that is not one. */
export function vendor(name) {
  const found = vendors.find((v) => v.name === name);
  if (!found) throw new Error(`unknown vendor ${name}; the vendors are ${vendorNames.join(', ')}`);
  return found;
}

/** The vendor's bundled spec (`specs/<vendor>/dist/openapi.json`, written by `npm run bundle`). */
export function bundledSpec(v) {
  return readJson(path.join(typeof v === 'string' ? vendor(v).specDir : v.specDir, 'dist', 'openapi.json'));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Operations (path × method) and webhooks of a bundled spec. */
export function countOperations(spec) {
  const count = (items) => Object.values(items ?? {}).reduce((n, item) => n + METHODS.filter((m) => item?.[m]).length, 0);
  return { operations: count(spec.paths), webhooks: count(spec.webhooks) };
}

/**
 * The path of a GET operation that takes no required parameter, no token endpoint, no second credential and answers
 * in the vendor's envelope: a call any client can make with its default credentials (smoke tests, benchmarks).
 */
export function parameterlessGet(spec) {
  const resolve = (node) =>
    node?.$ref
      ? node.$ref
          .slice(2)
          .split('/')
          .reduce((acc, k) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec)
      : node;
  const found = Object.entries(spec.paths ?? {}).find(([, item]) => {
    const op = item.get;
    return (
      op &&
      op.operationId !== spec['x-scrm-auth']?.operation &&
      op['x-scrm-envelope'] !== 'none' &&
      !op['x-scrm-credential'] &&
      ![...(item.parameters ?? []), ...(op.parameters ?? [])].some((p) => resolve(p)?.required)
    );
  });
  if (!found) throw new Error(`${spec['x-scrm-vendor']}: no GET operation without required parameters`);
  return found[0];
}
