import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A valid stored question (the YAML shape) to tweak per test. */
export function storedQuestion(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    domain: 'ebpf',
    topic: 'maps',
    competency: 'ebpf-role-in-cilium',
    domain2025: 'fundamentals',
    difficulty: 2,
    type: 'single',
    style: 'recall',
    prompt: `Which statement about eBPF maps is right in case ${id}?`,
    choices: ['Maps hold state', 'Maps run code', 'Maps parse YAML', 'Maps sign keys'],
    answer: [0],
    explanation: 'Maps are key/value stores shared between programs and user space.',
    source: { url: 'https://docs.cilium.io/en/stable/network/ebpf/maps/' },
    verified: { on: '2026-11-21', versions: ['1.18', '1.19'], against: ['https://docs.cilium.io/en/stable/network/ebpf/maps/'] },
    ...over,
  };
}

/** Writes a throw-away bank: { 'ebpf/maps.yaml': [questions...] } or raw YAML text per file. */
export function writeBank(files: Record<string, unknown[] | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cca-bank-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}
