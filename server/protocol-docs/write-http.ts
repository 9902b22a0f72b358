import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../questions/loader.js';
import { httpMarkdown } from './http-markdown.js';
import { openApiDocument } from './openapi.js';

/** The committed HTTP protocol documents, as `npm run protocol:docs` writes them (a test compares them with the schemas). */
export function httpDocs(): { file: string; text: string }[] {
  const doc = openApiDocument();
  return [
    { file: 'docs/protocol/openapi.json', text: `${JSON.stringify(doc, null, 2)}\n` },
    { file: 'docs/protocol/http.md', text: httpMarkdown(doc) },
  ];
}

if (process.argv[1]?.endsWith('write-http.ts')) {
  for (const { file, text } of httpDocs()) {
    mkdirSync(join(projectRoot(), 'docs/protocol'), { recursive: true });
    writeFileSync(join(projectRoot(), file), text);
    console.log(`wrote ${file}`);
  }
}
