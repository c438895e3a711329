// Messages between relay processes over Redis pub/sub, tagged with the sending relay's instance id so the
// receiver can answer on that relay's channel.
//
// Layout: [op u8][conn u32 BE][from length u8][from: instance id, ASCII][payload]
//   On `vibe:daemon:<id>` (to whichever relay holds the daemon), conn is the sender's id for its client:
//     OPEN, DATA (client bytes), CLOSE (the client is gone), TAKEOVER (the sender now holds the daemon; conn 0).
//   On `vibe:relay:<instance>` (to the relay holding the client), conn is that relay's own client id:
//     OPENED (the holder took the client), DATA (daemon bytes), CLOSE (payload [code u16][reason]).

export const ClusterOp = { Open: 1, Data: 2, Close: 3, Takeover: 4, Opened: 5 } as const;

export interface ClusterMessage {
  op: number;
  conn: number;
  from: string;
  payload: Uint8Array;
}

export const daemonChannel = (daemonId: string): string => `vibe:daemon:${daemonId}`;
export const relayChannel = (instanceId: string): string => `vibe:relay:${instanceId}`;

export function encodeClusterMessage(op: number, conn: number, from: string, payload: Uint8Array = EMPTY): Buffer {
  const fromLength = Buffer.byteLength(from, 'latin1');
  if (fromLength > 255) throw new RangeError('instance id too long');
  const out = Buffer.allocUnsafe(6 + fromLength + payload.length);
  out[0] = op;
  out.writeUInt32BE(conn >>> 0, 1);
  out[5] = fromLength;
  out.write(from, 6, 'latin1');
  out.set(payload, 6 + fromLength);
  return out;
}

/** Undefined for anything malformed: another relay's bytes are trusted no more than a client's. */
export function decodeClusterMessage(data: Buffer): ClusterMessage | undefined {
  if (data.length < 6) return undefined;
  const fromLength = data[5]!;
  if (fromLength === 0 || data.length < 6 + fromLength) return undefined;
  return { op: data[0]!, conn: data.readUInt32BE(1), from: data.toString('latin1', 6, 6 + fromLength), payload: data.subarray(6 + fromLength) };
}

const EMPTY = new Uint8Array(0);
