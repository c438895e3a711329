// Checks that docs/protocol.schema.json, the machine-readable contract, matches the schemas in this package.
import { describe, expect, it } from 'vitest';
import committed from '../../../docs/protocol.schema.json';
import * as protocol from './index.js';
import { schemaDocument } from './schema-document.js';

const STALE = 'docs/protocol.schema.json is out of date: run npm run build -w @vibe/protocol and commit the result';

describe('docs/protocol.schema.json', () => {
  const generated = schemaDocument();

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
