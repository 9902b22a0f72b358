import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument } from './asyncapi.js';
import { eventsMarkdown } from './events-md.js';

/** `npm run protocol:docs:events`: writes the generated Socket.IO references into docs/protocol/. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EVENTS_MD = join(root, 'docs', 'protocol', 'events.md');
export const ASYNCAPI_JSON = join(root, 'docs', 'protocol', 'asyncapi.json');

export const asyncApiText = (): string => `${JSON.stringify(asyncApiDocument(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(EVENTS_MD), { recursive: true });
  writeFileSync(EVENTS_MD, eventsMarkdown());
  writeFileSync(ASYNCAPI_JSON, asyncApiText());
  console.log(`wrote ${EVENTS_MD} and ${ASYNCAPI_JSON}`);
}
