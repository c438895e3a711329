// Builds the JSON Schema document for the whole protocol, as written to docs/protocol.schema.json at build.
import { z } from 'zod';
import { ERROR_CODES } from './errors.js';
import { Event, Hello, Request, Response, Welcome } from './messages/envelope.js';
import { EventName } from './messages/events.js';
import { Project } from './messages/project.js';
import { Task, TaskStatus } from './messages/task.js';
import { METHODS } from './methods.js';
import { PROTOCOL_VERSION } from './version.js';

export function schemaDocument(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  const add = (name: string, schema: z.ZodType): void => {
    defs[name] = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  };
  const messages = { Hello, Welcome, Request, Response, Event, Project, Task, TaskStatus, EventName };
  for (const [name, schema] of Object.entries(messages)) add(name, schema);
  for (const [method, spec] of Object.entries(METHODS)) {
    add(`${method}.params`, spec.params);
    add(`${method}.result`, spec.result);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://vibe.dev/protocol.schema.json',
    title: `vibe control protocol ${PROTOCOL_VERSION}`,
    description: 'Generated from packages/protocol by scripts/export-schema.mjs at build; do not edit.',
    errorCodes: ERROR_CODES,
    $defs: defs,
  };
}
