// Tests for the messages relays exchange over Redis: golden bytes and rejection of anything malformed.
import { describe, expect, it } from 'vitest';
import { ClusterOp, daemonChannel, decodeClusterMessage, encodeClusterMessage, relayChannel } from './cluster-codec.js';

describe('cluster messages', () => {
  it('encode op, conn, the sender instance and the payload', () => {
    expect(encodeClusterMessage(ClusterOp.Data, 258, 'AB', Buffer.from('hi')).toString('hex')).toBe('02' + '00000102' + '02' + '4142' + '6869');
    expect(encodeClusterMessage(ClusterOp.Takeover, 0, 'r').toString('hex')).toBe('04' + '00000000' + '01' + '72');
  });

  it('decode what they encode', () => {
    const payload = Buffer.from([0, 1, 2, 255]);
    expect(decodeClusterMessage(encodeClusterMessage(ClusterOp.Close, 0xffffffff, 'inst_-1', payload))).toEqual({ op: 3, conn: 0xffffffff, from: 'inst_-1', payload });
  });

  it('refuse truncated messages and an empty sender', () => {
    for (const hex of ['', '0200000001', '020000000105414243', '020000000100']) expect(decodeClusterMessage(Buffer.from(hex, 'hex'))).toBeUndefined();
  });

  it('name the channels', () => {
    expect(daemonChannel('abc')).toBe('vibe:daemon:abc');
    expect(relayChannel('r1')).toBe('vibe:relay:r1');
  });
});
