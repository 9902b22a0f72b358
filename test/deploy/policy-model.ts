import type { K8sObject } from '../helpers/kustomize.js';
import { ofKind, selects, workloads, type LabelSelector, type Labels } from './k8s.js';

/**
 * A small model of who may open a connection to whom under the manifests' policies, at L3/L4.
 * It knows: Cilium's endpointSelector / fromEndpoints / toEndpoints (namespace-scoped unless the
 * selector names `io.kubernetes.pod.namespace`), fromEntities / toEntities (ingress, host, world,
 * cluster, all), toPorts with port and protocol, default deny per direction (a rule section, or
 * enableDefaultDeny), an empty rule allowing nothing, and nil peers with toPorts meaning "any
 * peer"; and Kubernetes NetworkPolicy podSelector / namespaceSelector / ports with policyTypes.
 * It does not model: L7 rules, deny rules, CIDR and FQDN peers, named ports in policies, reply
 * packets (connection tracking lets them through), Services (policy sees the pod behind one),
 * the health, init, remote-node and kube-apiserver entities, host policies, Cilium's default of
 * letting the local node reach every pod (it models allow-localhost=policy, the stricter choice;
 * plain NetworkPolicy always lets the node in, as Kubernetes specifies), and label filtering.
 */
export interface Peer {
  name: string;
  /** A pod (namespace and labels) or a Cilium entity with no pod behind it. */
  namespace?: string;
  labels?: Labels;
  entity?: 'ingress' | 'host' | 'world';
  /** What it listens on. */
  ports: { port: number; protocol: 'TCP' | 'UDP' }[];
}

export interface Flow {
  from: string;
  to: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}
export const flowName = (f: Flow) => `${f.from} -> ${f.to}:${f.port}/${f.protocol}`;

const NS_KEY = 'io.kubernetes.pod.namespace';

/** Pods of the manifests' workloads, one per workload (replicas share labels, so they share policy). */
export function podsOf(objects: K8sObject[]): Peer[] {
  return workloads(objects).map((w) => ({
    name: w.name,
    namespace: w.namespace,
    labels: w.labels,
    ports: w.template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' }))),
  }));
}

// --- Cilium ---------------------------------------------------------------------------------

interface PortRule {
  ports?: { port: string; protocol?: string }[];
}
interface CnpRule {
  fromEndpoints?: LabelSelector[];
  toEndpoints?: LabelSelector[];
  fromEntities?: string[];
  toEntities?: string[];
  toPorts?: PortRule[];
}
interface CnpSpec {
  endpointSelector: LabelSelector;
  ingress?: CnpRule[];
  egress?: CnpRule[];
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
}

/** Cilium sees a pod's labels with a `k8s:` source prefix and its namespace as a label. */
function ciliumLabels(p: Peer): Labels {
  return { ...p.labels, [NS_KEY]: p.namespace! };
}
function stripSource(sel: LabelSelector): LabelSelector {
  const strip = (k: string) => k.replace(/^k8s:/, '');
  return {
    ...(sel.matchLabels ? { matchLabels: Object.fromEntries(Object.entries(sel.matchLabels).map(([k, v]) => [strip(k), v])) } : {}),
    ...(sel.matchExpressions ? { matchExpressions: sel.matchExpressions.map((e) => ({ ...e, key: strip(e.key) })) } : {}),
  };
}
/** A CiliumNetworkPolicy's selector stays in the policy's namespace unless it names another. */
function cnpSelects(sel: LabelSelector, policyNs: string, p: Peer): boolean {
  if (!p.labels) return false;
  const s = stripSource(sel);
  const namesNs = s.matchLabels?.[NS_KEY] !== undefined || (s.matchExpressions ?? []).some((e) => e.key === NS_KEY);
  if (!namesNs && p.namespace !== policyNs) return false;
  return selects(s, ciliumLabels(p));
}
function entityMatches(entity: string, p: Peer): boolean {
  if (entity === 'all') return true;
  if (entity === 'cluster') return p.entity !== 'world';
  return p.entity === entity;
}
function portsMatch(toPorts: PortRule[] | undefined, port: number, protocol: string): boolean {
  if (!toPorts || toPorts.length === 0) return true;
  return toPorts.some((r) => (r.ports ?? []).some((pp) => pp.port === String(port) && (!pp.protocol || pp.protocol === 'ANY' || pp.protocol === protocol)));
}
function ruleAllows(rule: CnpRule, dir: 'ingress' | 'egress', policyNs: string, peer: Peer, port: number, protocol: string): boolean {
  const endpoints = dir === 'ingress' ? rule.fromEndpoints : rule.toEndpoints;
  const entities = dir === 'ingress' ? rule.fromEntities : rule.toEntities;
  let peerOk: boolean;
  if (endpoints) peerOk = endpoints.some((s) => cnpSelects(s, policyNs, peer));
  else if (entities) peerOk = entities.some((e) => entityMatches(e, peer));
  // No peer at all: a wildcard only together with toPorts; an empty rule allows nothing.
  else peerOk = rule.toPorts !== undefined;
  return peerOk && portsMatch(rule.toPorts, port, protocol);
}

export function ciliumAllows(objects: K8sObject[], flow: Flow, peers: Peer[]): boolean {
  const src = peers.find((p) => p.name === flow.from)!;
  const dst = peers.find((p) => p.name === flow.to)!;
  const policies = ofKind(objects, 'CiliumNetworkPolicy').map((o) => ({ ns: o.metadata.namespace ?? 'default', spec: o.spec as CnpSpec }));
  const side = (self: Peer, other: Peer, dir: 'ingress' | 'egress'): boolean => {
    if (!self.labels) return true; // entities: no policy of ours selects them
    const mine = policies.filter((p) => cnpSelects(p.spec.endpointSelector, p.ns, self));
    const enforced = mine.some((p) => p.spec.enableDefaultDeny?.[dir] ?? p.spec[dir] !== undefined);
    if (!enforced) return true;
    return mine.some((p) => (p.spec[dir] ?? []).some((r) => ruleAllows(r, dir, p.ns, other, flow.port, flow.protocol)));
  };
  return side(src, dst, 'egress') && side(dst, src, 'ingress');
}

// --- Kubernetes NetworkPolicy -----------------------------------------------------------------

interface NpPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
}
interface NpRule {
  from?: NpPeer[];
  to?: NpPeer[];
  ports?: { port: number; protocol?: string }[];
}
interface NpSpec {
  podSelector: LabelSelector;
  policyTypes: ('Ingress' | 'Egress')[];
  ingress?: NpRule[];
  egress?: NpRule[];
}

function npPeerMatches(peer: NpPeer, policyNs: string, p: Peer): boolean {
  if (!p.labels) return false;
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': p.namespace! }) : p.namespace === policyNs;
  const podOk = peer.podSelector ? selects(peer.podSelector, p.labels) : true;
  return nsOk && podOk;
}

export function networkPolicyAllows(objects: K8sObject[], flow: Flow, peers: Peer[]): boolean {
  const src = peers.find((p) => p.name === flow.from)!;
  const dst = peers.find((p) => p.name === flow.to)!;
  // Kubernetes: traffic from the node a pod runs on is always allowed.
  if (src.entity === 'host') return true;
  const policies = ofKind(objects, 'NetworkPolicy').map((o) => ({ ns: o.metadata.namespace ?? 'default', spec: o.spec as NpSpec }));
  const side = (self: Peer, other: Peer, type: 'Ingress' | 'Egress'): boolean => {
    if (!self.labels) return true;
    const mine = policies.filter((p) => p.ns === self.namespace && selects(p.spec.podSelector, self.labels!) && p.spec.policyTypes.includes(type));
    if (mine.length === 0) return true;
    const rules = (p: (typeof mine)[number]) => (type === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    return mine.some((p) =>
      rules(p).some((r) => {
        const peersOf = type === 'Ingress' ? r.from : r.to;
        const peerOk = !peersOf || peersOf.some((x) => npPeerMatches(x, p.ns, other));
        const portOk = !r.ports || r.ports.some((pp) => pp.port === flow.port && (pp.protocol ?? 'TCP') === flow.protocol);
        return peerOk && portOk;
      }),
    );
  };
  return side(src, dst, 'Egress') && side(dst, src, 'Ingress');
}

/** Every connection a peer could try to a port someone listens on, where either end is in `ns`. */
export function candidateFlows(peers: Peer[], ns: string): Flow[] {
  const flows: Flow[] = [];
  for (const from of peers)
    for (const to of peers)
      if (from !== to && (from.namespace === ns || to.namespace === ns))
        for (const { port, protocol } of to.ports) flows.push({ from: from.name, to: to.name, port, protocol });
  return flows;
}
