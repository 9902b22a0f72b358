import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { Gateway, HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { ConfigSchema, loadConfig } from '../../server/config.js';
import { MemoryStore } from '../../server/storage/memory.js';
import { kubectlKustomize, type K8sObject } from '../helpers/kustomize.js';
import { makeBank } from '../helpers/questions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { build, K8S_DIR, ofKind, selects, TARGETS, workloads, type Container, type LabelSelector, type Workload } from './k8s.js';

// Each kind the manifests use, with the schema it is checked against.
const MODELS: Record<string, { validate(o: unknown): void }> = {
  'v1/Namespace': { validate: (o) => new Namespace(o as never).validate() },
  'v1/ConfigMap': { validate: (o) => new ConfigMap(o as never).validate() },
  'v1/Service': { validate: (o) => new Service(o as never).validate() },
  'apps/v1/Deployment': { validate: (o) => new Deployment(o as never).validate() },
  'apps/v1/StatefulSet': { validate: (o) => new StatefulSet(o as never).validate() },
  'policy/v1/PodDisruptionBudget': { validate: (o) => new PodDisruptionBudget(o as never).validate() },
  'networking.k8s.io/v1/Ingress': { validate: (o) => new Ingress(o as never).validate() },
  'networking.k8s.io/v1/NetworkPolicy': { validate: (o) => new NetworkPolicy(o as never).validate() },
  'gateway.networking.k8s.io/v1/Gateway': { validate: (o) => new Gateway(o as never).validate() },
  'gateway.networking.k8s.io/v1/HTTPRoute': { validate: (o) => new HTTPRoute(o as never).validate() },
  'monitoring.coreos.com/v1/ServiceMonitor': { validate: (o) => new ServiceMonitor(o as never).validate() },
  'cilium.io/v2/CiliumNetworkPolicy': { validate: (o) => validateCnp(o) },
};

/** Strict field validation: an object schema that lists its properties accepts no others. */
function strict(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields'] && s.type === 'object') s.additionalProperties = false;
  for (const v of Object.values(s)) {
    if (Array.isArray(v)) v.forEach(strict);
    else strict(v);
  }
}
const cnpSchema = parse(readFileSync(join(import.meta.dirname, 'fixtures', 'ciliumnetworkpolicy-v2.openapi.yaml'), 'utf8'), { merge: true }) as object;
strict(cnpSchema);
const ajv = new Ajv({ allErrors: true, strict: false });
// The one format the trimmed schema uses (the API server checks it the same way).
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
const cnpValidator = ajv.compile(cnpSchema);
function validateCnp(o: unknown): void {
  if (!cnpValidator(o)) throw new Error(ajv.errorsText(cnpValidator.errors));
}

const key = (o: K8sObject) => `${o.apiVersion}/${o.kind}`;
const sorted = (objects: K8sObject[]) => [...objects].sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));
const containers = (w: Workload): Container[] => w.template.spec.containers;
const app = (objects: K8sObject[]) => workloads(objects).find((w) => w.name === 'cca-quiz')!;

// Secrets the operator creates by hand (never in git): named in the overlay's instructions.
const EXTERNAL_SECRETS = new Set(['cca-quiz-redis']);

describe.each(TARGETS)('deploy/k8s/%s', (target) => {
  const objects = build(target);

  it('renders with kubectl kustomize to the same objects as the test loader', (ctx) => {
    const rendered = kubectlKustomize(join(K8S_DIR, target));
    if ('unavailable' in rendered) {
      console.warn(`skipped kubectl kustomize for ${target}: ${rendered.unavailable}`);
      return ctx.skip();
    }
    expect(sorted(rendered.objects)).toEqual(sorted(objects));
  });

  it('every object is valid against its Kubernetes schema (or the Cilium CRD)', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      const model = MODELS[key(o)];
      expect(model, `no schema for ${key(o)}`).toBeDefined();
      expect(() => model!.validate(o), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('every namespaced object lands in the cca-quiz namespace', () => {
    for (const o of objects) if (o.kind !== 'Namespace') expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('cca-quiz');
  });

  it('Services, the PDB, routes and monitors point at things that exist', () => {
    const ws = workloads(objects);
    const services = ofKind(objects, 'Service');
    for (const s of services) {
      const spec = s.spec as { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] };
      const backing = ws.filter((w) => selects({ matchLabels: spec.selector }, w.labels));
      expect(backing.length, `Service ${s.metadata.name} selects no pods`).toBeGreaterThan(0);
      for (const p of spec.ports) {
        const found = backing.some((w) => containers(w).some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)));
        expect(found, `Service ${s.metadata.name} port ${p.name} → ${p.targetPort}`).toBe(true);
      }
    }
    for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
      const sel = (pdb.spec as { selector: LabelSelector }).selector;
      const covered = ws.filter((w) => selects(sel, w.labels));
      expect(covered.map((w) => w.name)).toEqual(['cca-quiz']);
      expect(covered[0]!.replicas).toBeGreaterThan((pdb.spec as { minAvailable: number }).minAvailable);
    }
    for (const st of ofKind(objects, 'StatefulSet')) {
      const svc = services.find((s) => s.metadata.name === (st.spec as { serviceName: string }).serviceName);
      expect(svc, `StatefulSet ${st.metadata.name} serviceName`).toBeDefined();
      expect((svc!.spec as { clusterIP?: string }).clusterIP).toBe('None');
    }
    const servicePort = (name: string, port: number | string) => {
      const s = services.find((x) => x.metadata.name === name);
      return !!s && (s.spec as { ports: { name: string; port: number }[] }).ports.some((p) => p.port === port || p.name === port);
    };
    for (const r of ofKind(objects, 'HTTPRoute')) {
      const spec = r.spec as { parentRefs: { name: string; sectionName?: string }[]; rules: { backendRefs: { name: string; port: number }[] }[] };
      for (const parent of spec.parentRefs) {
        const gw = ofKind(objects, 'Gateway').find((g) => g.metadata.name === parent.name);
        expect(gw, `HTTPRoute parent ${parent.name}`).toBeDefined();
        expect((gw!.spec as { listeners: { name: string }[] }).listeners.map((l) => l.name)).toContain(parent.sectionName);
      }
      for (const b of spec.rules.flatMap((rule) => rule.backendRefs)) expect(servicePort(b.name, b.port), `backend ${b.name}:${b.port}`).toBe(true);
    }
    for (const ing of ofKind(objects, 'Ingress')) {
      const paths = (ing.spec as { rules: { http: { paths: { backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[] }).rules.flatMap((r) => r.http.paths);
      for (const p of paths) expect(servicePort(p.backend.service.name, p.backend.service.port.name ?? p.backend.service.port.number!)).toBe(true);
    }
    for (const sm of ofKind(objects, 'ServiceMonitor')) {
      const spec = sm.spec as { selector: LabelSelector; endpoints: { port: string }[] };
      const hit = services.filter((s) => selects(spec.selector, s.metadata.labels ?? {}));
      expect(hit.map((s) => s.metadata.name)).toEqual(['cca-quiz']);
      for (const e of spec.endpoints) expect(servicePort('cca-quiz', e.port)).toBe(true);
    }
  });

  it('env names are settings the server knows, and the ConfigMap passes its checks', () => {
    const known = new Set(Object.keys(ConfigSchema.shape));
    const configMaps = ofKind(objects, 'ConfigMap');
    const secrets = ofKind(objects, 'Secret');
    const c = containers(app(objects))[0]!;
    const env: Record<string, string> = {};
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) {
        const cm = configMaps.find((m) => m.metadata.name === from.configMapRef!.name);
        expect(cm, `ConfigMap ${from.configMapRef.name}`).toBeDefined();
        Object.assign(env, (cm as unknown as { data: Record<string, string> }).data);
      }
      if (from.secretRef) expect(secrets.some((s) => s.metadata.name === from.secretRef!.name) || EXTERNAL_SECRETS.has(from.secretRef.name)).toBe(true);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) expect(secrets.some((s) => s.metadata.name === ref.name) || EXTERNAL_SECRETS.has(ref.name), `Secret ${ref.name}`).toBe(true);
      env[e.name] = e.value ?? (e.name === 'NODE_ID' ? 'cca-quiz-7d9f-abcde' : 'redis://:secret@redis.example:6379');
    }
    for (const name of Object.keys(env)) expect(known, `${name} is not in server/config.ts`).toContain(name);
    const config = loadConfig(env);
    expect(config.REDIS_URL, 'the app always has a Redis: two replicas share it').toBeDefined();
    // The ports the server opens are the ports the pod declares.
    const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    expect(ports).toEqual({ http: config.PORT, metrics: config.METRICS_PORT });
  });

  it('the app: two or more replicas, limits, non-root, read-only, no privilege, graceful stop', () => {
    const a = app(objects);
    expect(a.replicas).toBeGreaterThanOrEqual(2);
    const compose = parse(readFileSync(join(K8S_DIR, '..', '..', 'docker-compose.yml'), 'utf8')) as { 'x-app': { stop_grace_period: string } };
    // The same handover budget as the compose file's stop_grace_period.
    expect(`${a.template.spec.terminationGracePeriodSeconds}s`).toBe(compose['x-app'].stop_grace_period);
    for (const w of workloads(objects)) {
      const pod = w.template.spec.securityContext ?? {};
      expect(pod.runAsNonRoot, w.name).toBe(true);
      expect(pod.runAsUser, w.name).toBeGreaterThan(0);
      for (const c of containers(w)) {
        expect(c.securityContext, `${w.name}/${c.name}`).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources?.requests ?? {}).sort(), `${w.name} requests`).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources?.limits ?? {}).sort(), `${w.name} limits`).toEqual(['cpu', 'memory']);
      }
    }
    const c = containers(a)[0]!;
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('Redis, when in the cluster: append-only file on a persistent volume', () => {
    const redis = workloads(objects).find((w) => w.name === 'redis');
    if (target === 'overlays/external-redis') return expect(redis).toBeUndefined();
    expect(redis?.kind).toBe('StatefulSet');
    const c = containers(redis!)[0]!;
    expect(c.args?.join(' ')).toContain('--appendonly yes');
    const dir = c.args![c.args!.indexOf('--dir') + 1];
    const claims = (redis!.spec as { volumeClaimTemplates: { metadata: { name: string } }[] }).volumeClaimTemplates.map((v) => v.metadata.name);
    expect(c.volumeMounts?.find((m) => m.mountPath === dir)?.name).toBeOneOf(claims);
  });
});

describe('the validators catch what they should', () => {
  const cnp = () => structuredClone(ofKind(build('overlays/lab'), 'CiliumNetworkPolicy').find((p) => p.metadata.name === 'app-ingress')!) as K8sObject & { spec: any };

  it('a CiliumNetworkPolicy with a number port, an unknown entity, a misspelt field or no rules fails', () => {
    expect(() => validateCnp(cnp())).not.toThrow();
    const numberPort = cnp();
    numberPort.spec.ingress[0].toPorts[0].ports[0].port = 3000;
    expect(() => validateCnp(numberPort)).toThrow(/must be string/);
    const entity = cnp();
    entity.spec.ingress[0].fromEntities = ['gateway'];
    expect(() => validateCnp(entity)).toThrow(/allowed values/);
    const typo = cnp();
    typo.spec.ingress[0].fromEndpoint = typo.spec.ingress[0].fromEntities;
    expect(() => validateCnp(typo)).toThrow(/additional properties/);
    const protocol = cnp();
    protocol.spec.ingress[0].toPorts[0].ports[0].protocol = 'tcp';
    expect(() => validateCnp(protocol)).toThrow(/allowed values/);
    const empty = cnp();
    delete empty.spec.ingress;
    expect(() => validateCnp(empty)).toThrow();
  });

  it('a Deployment with a port name for containerPort fails', () => {
    const d = structuredClone(ofKind(build('base'), 'Deployment')[0]!) as K8sObject & { spec: any };
    d.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => MODELS['apps/v1/Deployment']!.validate(d)).toThrow(/must be integer/);
  });
});

describe('the probes and the scrape hit real paths of the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The ConfigMap's own settings (ports made free, memory store instead of Redis).
    const cm = ofKind(build('base'), 'ConfigMap')[0] as unknown as { data: Record<string, string> };
    const { REDIS_URL: _redis, ...env } = cm.data;
    server = await startTestServer({ bank: makeBank(2), store: new MemoryStore(), env: { ...env, PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('liveness, readiness and the ServiceMonitor path answer 200 on their ports', async () => {
    const c = containers(app(build('overlays/lab-prometheus')))[0]!;
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      expect(probe?.httpGet?.port).toBe('http');
      expect((await fetch(`${server.url}${probe!.httpGet!.path}`)).status).toBe(200);
    }
    const sm = ofKind(build('overlays/lab-prometheus'), 'ServiceMonitor')[0]!.spec as { endpoints: { port: string; path: string }[] };
    expect(sm.endpoints[0]!.port).toBe('metrics');
    expect((await fetch(`http://127.0.0.1:${server.metricsPort}${sm.endpoints[0]!.path}`)).status).toBe(200);
  });
});
