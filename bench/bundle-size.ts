import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

/**
 * Gzipped bytes a route loads: the entry chunk and everything it imports statically, plus the page's
 * own chunk when the page is lazy (`pageSource` absent from the manifest means it is in the entry).
 */
export function routeSize(distDir: string, pageSource?: string): { js: number; css: number; files: string[] } {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('the Vite manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entry);
  if (pageSource && manifest[pageSource]) visit(pageSource);
  const gz = (file: string) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  const chunks = [...seen].map((k) => manifest[k]!);
  const files = chunks.map((c) => c.file);
  const cssFiles = [...new Set(chunks.flatMap((c) => c.css ?? []))];
  return { js: files.reduce((s, f) => s + gz(f), 0), css: cssFiles.reduce((s, f) => s + gz(f), 0), files: [...files, ...cssFiles] };
}
