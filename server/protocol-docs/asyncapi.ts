import { z } from 'zod';
import { ERROR_CODES } from '../../shared/protocol/errors.js';
import { GameExportSchema } from '../../shared/protocol/export.js';
import {
  ProtocolErrorSchema,
  ackDataSchemas,
  clientEventSchemas,
  serverMessageSchemas,
  type ClientEventName,
} from '../../shared/protocol/events.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.js';
import * as parts from '../../shared/protocol/view-parts.js';
import * as views from '../../shared/protocol/views.js';
import { RoomSettingsObject, RoomSettingsPatchSchema } from '../../shared/settings.js';
import { EVENT_DOCS, MESSAGE_DOCS, type ServerMessageName } from './event-docs.js';

/**
 * The AsyncAPI 3 document of the Socket.IO protocol, generated from the zod schemas in
 * shared/protocol (never written by hand): one `send` operation per client event with its ack as
 * the reply, one `receive` operation per server message, and every view shape as a component.
 */

export type JsonSchema = Record<string, unknown>;

/** AsyncAPI component keys allow letters, digits, `.`, `-` and `_`: `room:create` becomes `room.create`. */
export const componentKey = (event: string): string => event.replace(/:/g, '.');
const pascal = (event: string): string => event.split(/[:\-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** The ack of an event: its data with `ok: true`, or `{ ok: false, error }`. */
export function ackSchema(event: ClientEventName): z.ZodType {
  const data = ackDataSchemas[event] as z.ZodObject;
  return z.union([data.extend({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: ProtocolErrorSchema })]);
}

/** Named view shapes: every `…Schema` export of views.ts and view-parts.ts, plus the export and the error. */
function namedOutputs(): [string, z.ZodType][] {
  const named: [string, z.ZodType][] = [];
  for (const [key, value] of [...Object.entries(views), ...Object.entries(parts)]) {
    if (key.endsWith('Schema') && value instanceof z.ZodType) named.push([key.slice(0, -'Schema'.length), value]);
  }
  named.push(['RoomSettings', RoomSettingsObject], ['GameExport', GameExportSchema], ['ProtocolError', ProtocolErrorSchema]);
  // Sorted: module namespaces list their keys in different orders under tsx and Vitest.
  return named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** JSON Schemas (draft-07, as AsyncAPI schemas are) with `$ref`s to `#/components/schemas/…`. */
function toSchemas(entries: [string, z.ZodType][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-7', io, uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

export const payloadId = (event: ClientEventName): string => `${pascal(event)}Payload`;
export const ackId = (event: ClientEventName): string => `${pascal(event)}Ack`;
export const messageId = (name: ServerMessageName): string => (name === 'room:view' ? 'RoomView' : `${pascal(name)}Message`);

/** Every component schema of the document: client payloads (as sent), acks and views (as received). */
export function componentSchemas(): Record<string, JsonSchema> {
  const events = Object.keys(clientEventSchemas) as ClientEventName[];
  const inputs = toSchemas(
    [...events.map((e): [string, z.ZodType] => [payloadId(e), clientEventSchemas[e]]), ['RoomSettingsPatch', RoomSettingsPatchSchema]],
    'input',
  );
  const messages = (Object.keys(serverMessageSchemas) as ServerMessageName[])
    .filter((m) => m !== 'room:view')
    .map((m): [string, z.ZodType] => [messageId(m), serverMessageSchemas[m]]);
  const outputs = toSchemas([...namedOutputs(), ...events.map((e): [string, z.ZodType] => [ackId(e), ackSchema(e)]), ...messages], 'output');
  return { ...inputs, ...outputs };
}

const ref = (path: string) => ({ $ref: path });

export function asyncApiDocument(): JsonSchema {
  const events = Object.keys(clientEventSchemas) as ClientEventName[];
  const serverMessages = Object.keys(serverMessageSchemas) as ServerMessageName[];
  const messages: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const channelMessages: Record<string, JsonSchema> = {};

  for (const event of events) {
    const doc = EVENT_DOCS[event];
    const key = componentKey(event);
    messages[key] = { name: event, title: event, summary: doc.summary, payload: ref(`#/components/schemas/${payloadId(event)}`) };
    messages[`${key}.ack`] = { name: `${event} ack`, title: `${event} acknowledgement`, payload: ref(`#/components/schemas/${ackId(event)}`) };
    channelMessages[key] = ref(`#/components/messages/${key}`);
    channelMessages[`${key}.ack`] = ref(`#/components/messages/${key}.ack`);
    operations[key] = {
      action: 'receive',
      title: event,
      summary: doc.summary,
      description: `Who may send it: ${doc.who}.${doc.notes ? ` ${doc.notes}` : ''}${doc.errors?.length ? ` Refusals besides the common ones: ${doc.errors.join(', ')}.` : ''}`,
      channel: ref('#/channels/socket'),
      messages: [ref(`#/channels/socket/messages/${key}`)],
      reply: { channel: ref('#/channels/socket'), messages: [ref(`#/channels/socket/messages/${key}.ack`)] },
    };
  }
  for (const name of serverMessages) {
    const key = componentKey(name);
    const doc = MESSAGE_DOCS[name];
    messages[key] = { name, title: name, summary: doc.summary, payload: ref(`#/components/schemas/${messageId(name)}`) };
    channelMessages[key] = ref(`#/components/messages/${key}`);
    operations[key] = {
      action: 'send',
      title: name,
      summary: doc.summary,
      ...(doc.notes ? { description: doc.notes } : {}),
      channel: ref('#/channels/socket'),
      messages: [ref(`#/channels/socket/messages/${key}`)],
    };
  }

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'cca-quiz realtime protocol',
      version: String(PROTOCOL_VERSION),
      description:
        'Socket.IO 4 events of the cca-quiz server, generated from the zod schemas in shared/protocol. ' +
        'Operations are from the server’s side: it receives client events (each answered through the Socket.IO acknowledgement, the reply) ' +
        'and sends server messages. Every client event carries exactly one JSON object and an acknowledgement callback; ' +
        `unknown keys are refused (BAD_REQUEST). Error codes: ${ERROR_CODES.join(', ')}. See the README's Protocol chapter.`,
    },
    servers: {
      local: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io/', description: 'The server’s own port; Socket.IO (Engine.IO 4) over WebSocket or HTTP long-polling' },
    },
    defaultContentType: 'application/json',
    channels: {
      socket: { address: '/', title: 'The default Socket.IO namespace', messages: channelMessages },
    },
    operations,
    components: { schemas: componentSchemas(), messages },
  };
}
