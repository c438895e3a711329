// Writes docs/protocol.schema.json from the protocol's schemas (see src/schema-document.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaDocument } from '../dist/index.js';

const target = fileURLToPath(new URL('../../../docs/protocol.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(schemaDocument(), null, 2)}\n`);
