// Writes docs/protocol.schema.json from the protocol's schemas: one definition per message and method.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import * as protocol from '../dist/index.js';

const target = fileURLToPath(new URL('../../../docs/protocol.schema.json', import.meta.url));
const defs = {};
const add = (name, schema) => {
  defs[name] = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
};
for (const name of ['Hello', 'Welcome', 'Request', 'Response', 'Event', 'Project', 'Task', 'TaskStatus', 'EventName']) {
  add(name, protocol[name]);
}
for (const [method, spec] of Object.entries(protocol.METHODS)) {
  add(`${method}.params`, spec.params);
  add(`${method}.result`, spec.result);
}
const document = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://vibe.dev/protocol.schema.json',
  title: `vibe control protocol ${protocol.PROTOCOL_VERSION}`,
  description: 'Generated from packages/protocol by scripts/export-schema.mjs at build; do not edit.',
  errorCodes: protocol.ERROR_CODES,
  $defs: defs,
};
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
