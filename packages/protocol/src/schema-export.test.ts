// Checks that docs/protocol.schema.json, the machine-readable contract, matches the schemas in this package.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import committed from '../../../docs/protocol.schema.json';
import * as protocol from './index.js';

const STALE = 'docs/protocol.schema.json is out of date: run npm run build -w @vibe/protocol and commit the result';

/** The same document scripts/export-schema.mjs writes, built from the sources instead of dist. */
function generate(): unknown {
  const defs: Record<string, unknown> = {};
  const add = (name: string, schema: z.ZodType): void => {
    defs[name] = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' });
  };
  for (const name of ['Hello', 'Welcome', 'Request', 'Response', 'Event', 'Project', 'Task', 'TaskStatus', 'EventName'] as const) {
    add(name, protocol[name]);
  }
  for (const [method, spec] of Object.entries(protocol.METHODS)) {
    add(`${method}.params`, spec.params);
    add(`${method}.result`, spec.result);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://vibe.dev/protocol.schema.json',
    title: `vibe control protocol ${protocol.PROTOCOL_VERSION}`,
    description: 'Generated from packages/protocol by scripts/export-schema.mjs at build; do not edit.',
    errorCodes: protocol.ERROR_CODES,
    $defs: defs,
  };
}

describe('docs/protocol.schema.json', () => {
  const generated = generate();

  it('matches the schemas in packages/protocol/src', () => {
    expect(committed, STALE).toEqual(generated);
  });

  it('matches them key for key, in the order the exporter writes', () => {
    expect(JSON.stringify(committed, null, 2), STALE).toBe(JSON.stringify(generated, null, 2));
  });

  it('names the protocol version it describes and every error code', () => {
    expect(committed.title).toBe(`vibe control protocol ${protocol.PROTOCOL_VERSION}`);
    expect(Object.keys(committed.errorCodes)).toEqual(protocol.errorCodes);
  });

  it('has a params and a result definition for every method', () => {
    for (const method of Object.keys(protocol.METHODS)) {
      expect(committed.$defs, method).toHaveProperty([`${method}.params`]);
      expect(committed.$defs, method).toHaveProperty([`${method}.result`]);
    }
  });
});
