import { describe, expect, it } from 'vitest';
import { build, ofKind, selects, workloads } from './k8s.js';
import { candidateFlows, ciliumAllows, flowName, networkPolicyAllows, podsOf, type Peer } from './policy-model.js';

// Peers around the game's pods: who should and who should not get in.
const AROUND: Peer[] = [
  { name: 'cilium-ingress', entity: 'ingress', ports: [] },
  { name: 'node', entity: 'host', ports: [] },
  { name: 'internet', entity: 'world', ports: [] },
  { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ port: 9090, protocol: 'TCP' }] },
  { name: 'grafana', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' }, ports: [] },
  { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
  { name: 'ingress-nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [] },
  // Someone's `kubectl run debug` in the game's namespace.
  { name: 'debug', namespace: 'cca-quiz', labels: { run: 'debug' }, ports: [] },
  // The same labels as the game's pods, in another namespace: namespaces must still count.
  { name: 'lookalike', namespace: 'other', labels: { 'app.kubernetes.io/name': 'cca-quiz', 'app.kubernetes.io/component': 'server' }, ports: [] },
];
const EXTERNAL_REDIS: Peer = { name: 'managed-redis', entity: 'world', ports: [{ port: 6380, protocol: 'TCP' }] };

const CILIUM_FLOWS = [
  'cilium-ingress -> cca-quiz:3000/TCP', // players, through Cilium's Gateway or Ingress
  'node -> cca-quiz:3000/TCP', // kubelet probes
  'prometheus -> cca-quiz:9464/TCP', // the scrape
  'cca-quiz -> redis:6379/TCP',
  'cca-quiz -> kube-dns:53/UDP',
  'cca-quiz -> kube-dns:53/TCP',
];

function allowed(target: string, model: typeof ciliumAllows, extra: Peer[] = []): string[] {
  const objects = build(target);
  const peers = [...podsOf(objects), ...AROUND, ...extra];
  return candidateFlows(peers, 'cca-quiz')
    .filter((f) => model(objects, f, peers))
    .map(flowName)
    .sort();
}

describe('CiliumNetworkPolicies allow exactly the intended flows', () => {
  it.each(['overlays/lab', 'overlays/lab-ingress', 'overlays/lab-prometheus'])('%s', (target) => {
    expect(allowed(target, ciliumAllows)).toEqual([...CILIUM_FLOWS].sort());
  });

  it('overlays/external-redis: Redis outside the cluster instead of the StatefulSet', () => {
    expect(allowed('overlays/external-redis', ciliumAllows, [EXTERNAL_REDIS])).toEqual(
      ['cilium-ingress -> cca-quiz:3000/TCP', 'node -> cca-quiz:3000/TCP', 'prometheus -> cca-quiz:9464/TCP', 'cca-quiz -> managed-redis:6380/TCP', 'cca-quiz -> kube-dns:53/UDP', 'cca-quiz -> kube-dns:53/TCP'].sort(),
    );
  });

  it('without the policies everything would be open (the model is not vacuous)', () => {
    const open = allowed('base', ciliumAllows);
    expect(open).toContain('debug -> redis:6379/TCP');
    expect(open).toContain('internet -> cca-quiz:3000/TCP');
    expect(open).toContain('prometheus -> cca-quiz:3000/TCP');
  });

  it('every policy selects pods that exist, and every in-namespace peer selector matches a pod', () => {
    for (const target of ['overlays/lab', 'overlays/external-redis']) {
      const objects = build(target);
      const ws = workloads(objects);
      for (const p of ofKind(objects, 'CiliumNetworkPolicy')) {
        const spec = p.spec as { endpointSelector: { matchLabels?: Record<string, string> }; ingress?: { fromEndpoints?: { matchLabels?: Record<string, string> }[] }[]; egress?: { toEndpoints?: { matchLabels?: Record<string, string> }[] }[] };
        expect(ws.some((w) => selects(spec.endpointSelector, w.labels)), `${target} ${p.metadata.name}`).toBe(true);
        const local = [...(spec.ingress ?? []).flatMap((r) => r.fromEndpoints ?? []), ...(spec.egress ?? []).flatMap((r) => r.toEndpoints ?? [])].filter(
          (s) => !Object.keys(s.matchLabels ?? {}).some((k) => k.endsWith('io.kubernetes.pod.namespace')),
        );
        for (const s of local) expect(ws.some((w) => selects(s, w.labels)), `${p.metadata.name}: ${JSON.stringify(s)}`).toBe(true);
      }
    }
  });

  it('each policy says what it allows (spec.description and a comment)', () => {
    for (const p of ofKind(build('overlays/lab'), 'CiliumNetworkPolicy')) expect((p.spec as { description?: string }).description?.length, p.metadata.name).toBeGreaterThan(20);
  });
});

describe('the plain NetworkPolicy equivalent', () => {
  it('overlays/no-cilium allows the same flows, with ingress-nginx in place of Cilium\'s proxy', () => {
    const flows = allowed('overlays/no-cilium', networkPolicyAllows);
    // Kubernetes always lets a pod's own node in, so the node reaches every port of both pods.
    const fromNode = flows.filter((f) => f.startsWith('node -> '));
    expect(fromNode).toEqual(['node -> cca-quiz:3000/TCP', 'node -> cca-quiz:9464/TCP', 'node -> redis:6379/TCP']);
    expect(flows.filter((f) => !f.startsWith('node -> '))).toEqual(
      ['ingress-nginx -> cca-quiz:3000/TCP', 'prometheus -> cca-quiz:9464/TCP', 'cca-quiz -> redis:6379/TCP', 'cca-quiz -> kube-dns:53/UDP', 'cca-quiz -> kube-dns:53/TCP'].sort(),
    );
  });
});
