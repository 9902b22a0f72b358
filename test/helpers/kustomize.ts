import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One Kubernetes object as a plain JSON value. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: unknown };

interface Kustomization {
  namespace?: string;
  resources?: string[];
  components?: string[];
  patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[];
}

const CLUSTER_SCOPED = new Set(['Namespace']);

export function readYamlDocs(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${path}: ${d.errors[0]!.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

function readKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir} has no kustomization.yaml`);
  const k = readYamlDocs(file)[0] as unknown as Kustomization & Record<string, unknown>;
  const known = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'components', 'patches']);
  const extra = Object.keys(k).filter((key) => !known.has(key));
  if (extra.length) throw new Error(`${file}: this small loader does not handle ${extra.join(', ')}`);
  return k;
}

/** A JSON-pointer step into an object or array. */
function step(parent: unknown, token: string): { container: Record<string, unknown> | unknown[]; key: string } {
  if (parent === null || typeof parent !== 'object') throw new Error(`cannot follow ${token} into a scalar`);
  return { container: parent as Record<string, unknown> | unknown[], key: token.replace(/~1/g, '/').replace(/~0/g, '~') };
}

/** RFC 6902 add/remove/replace: the operations the overlays use. */
export function applyJsonPatch(target: unknown, ops: { op: string; path: string; value?: unknown }[]): void {
  for (const { op, path, value } of ops) {
    const tokens = path.split('/').slice(1);
    let node: unknown = target;
    for (const t of tokens.slice(0, -1)) node = (node as Record<string, unknown>)[step(node, t).key];
    const { container, key } = step(node, tokens.at(-1)!);
    if (Array.isArray(container)) {
      const i = key === '-' ? container.length : Number(key);
      if (op === 'add') container.splice(i, 0, value);
      else if (op === 'remove') container.splice(i, 1);
      else if (op === 'replace') container[i] = value;
      else throw new Error(`unsupported op ${op}`);
    } else {
      if ((op === 'remove' || op === 'replace') && !(key in container)) throw new Error(`${op} ${path}: no such field`);
      if (op === 'add' || op === 'replace') container[key] = value;
      else if (op === 'remove') delete container[key];
      else throw new Error(`unsupported op ${op}`);
    }
  }
}

function matches(o: K8sObject, t: { kind?: string; name?: string }): boolean {
  return (!t.kind || o.kind === t.kind) && (!t.name || o.metadata.name === t.name);
}

function applyPatches(dir: string, objects: K8sObject[], patches: Kustomization['patches'] = []): K8sObject[] {
  let out = objects;
  for (const p of patches) {
    if (p.path) {
      // Strategic-merge patch files: only `$patch: delete` of a whole object is used here.
      for (const doc of readYamlDocs(join(dir, p.path))) {
        if ((doc as Record<string, unknown>)['$patch'] !== 'delete') throw new Error(`${p.path}: only $patch: delete is supported`);
        const before = out.length;
        out = out.filter((o) => !(o.kind === doc.kind && o.metadata.name === doc.metadata.name));
        if (out.length !== before - 1) throw new Error(`${p.path}: ${doc.kind}/${doc.metadata.name} not found`);
      }
    } else if (p.patch && p.target) {
      const hit = out.filter((o) => matches(o, p.target!));
      if (hit.length === 0) throw new Error(`patch target ${JSON.stringify(p.target)} matched nothing`);
      const ops = parseAllDocuments(p.patch)[0]!.toJS() as { op: string; path: string; value?: unknown }[];
      for (const o of hit) applyJsonPatch(o, ops);
    } else throw new Error(`patch in ${dir} has neither path nor patch+target`);
  }
  return out;
}

/**
 * Builds a kustomization the way `kustomize build` does for the features used in deploy/k8s:
 * resources (files and folders), components, patches ($patch: delete files and JSON 6902 with a
 * target) and namespace. Anything else in a kustomization.yaml is an error, not silently ignored.
 */
export function buildKustomization(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  let objects: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const path = resolve(dir, r);
    objects.push(...(statSync(path).isDirectory() ? buildKustomization(path) : readYamlDocs(path)));
  }
  for (const c of k.components ?? []) {
    const cdir = resolve(dir, c);
    const ck = readKustomization(cdir);
    for (const r of ck.resources ?? []) objects.push(...readYamlDocs(resolve(cdir, r)));
    objects = applyPatches(cdir, objects, ck.patches);
  }
  objects = applyPatches(dir, objects, k.patches);
  if (k.namespace) for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  return objects;
}

/** `kubectl kustomize DIR`, or why it cannot run here. */
export function kubectlKustomize(dir: string): { objects: K8sObject[] } | { unavailable: string } {
  const probe = spawnSync('kubectl', ['kustomize', '--help'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error || probe.status !== 0) return { unavailable: `kubectl is not usable here (${probe.error?.message ?? probe.stderr.trim()})` };
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr}`);
  return { objects: parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sObject) };
}
