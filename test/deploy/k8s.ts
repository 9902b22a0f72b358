import { join } from 'node:path';
import { buildKustomization, type K8sObject } from '../helpers/kustomize.js';

export const K8S_DIR = join(import.meta.dirname, '..', '..', 'deploy', 'k8s');
export const OVERLAYS = ['lab', 'lab-ingress', 'lab-prometheus', 'external-redis', 'no-cilium'] as const;
export const TARGETS = ['base', ...OVERLAYS.map((o) => `overlays/${o}`)] as const;

export const build = (target: string): K8sObject[] => buildKustomization(join(K8S_DIR, target));

export type Labels = Record<string, string>;
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** Kubernetes label-selector semantics (matchLabels AND matchExpressions; empty selects all). */
export function selects(sel: LabelSelector | undefined, labels: Labels): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}
export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: ContainerPort[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: unknown } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface Probe {
  httpGet?: { path: string; port: number | string };
  exec?: { command: string[] };
}
export interface PodTemplate {
  metadata: { labels: Labels };
  spec: { containers: Container[]; securityContext?: Record<string, unknown>; terminationGracePeriodSeconds?: number; volumes?: { name: string }[] };
}

/** The pods a workload runs: its kind, name, namespace, labels and template. */
export interface Workload {
  kind: string;
  name: string;
  namespace: string;
  replicas: number;
  labels: Labels;
  template: PodTemplate;
  spec: Record<string, unknown>;
}

export function workloads(objects: K8sObject[]): Workload[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
    .map((o) => {
      const spec = o.spec as { replicas?: number; template: PodTemplate };
      return { kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? 'default', replicas: spec.replicas ?? 1, labels: spec.template.metadata.labels, template: spec.template, spec: o.spec as Record<string, unknown> };
    });
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
