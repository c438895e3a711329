// The daemon's own cap on remote clients, whatever the relay allows: a relay room with a cap of 2 serving a
// real daemon's control API through a real relay process. The one past the cap is refused with a clear,
// retryable error; the others keep working; a place that frees lets the next one in.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { generateIdentity, RelayConnectError } from '@vibe/protocol';
import { nodeAead } from '@vibe/protocol/node';
import { nullLogger } from '../src/logger.js';
import { RelayRoom } from '../src/relay/index.js';
import { FileSecretStore } from '../src/secrets/index.js';
import { Store } from '../src/store/index.js';
import { until } from './daemon-fixture.js';
import { RelayBed } from './relay-fixture.js';

const relayEntry = createRequire(import.meta.url).resolve('@vibe/relay-server/main');

let bed: RelayBed;
let store: Store;
let room: RelayRoom;

beforeEach(async () => {
  bed = new RelayBed();
  await bed.boot();
  // A room of its own (its own identity, links and relay process) in front of the booted daemon's control API.
  store = Store.open({ path: join(bed.dir, 'capped.db') });
  room = new RelayRoom({
    store,
    secrets: new FileSecretStore(join(bed.dir, 'capped-secrets.json')),
    identity: generateIdentity(),
    openControl: (transport, access) => bed.daemon!.control.openConnection(transport, access),
    logger: nullLogger,
    aead: nodeAead,
    relayEntry,
    relayLogFile: join(bed.dir, 'capped-relay.log'),
    relayPidFile: join(bed.dir, 'capped-relay.pid'),
    maxClients: 2,
  });
});

afterEach(async () => {
  await room.dispose();
  store.close();
  await bed.dispose();
});

it('refuses the remote client past its cap with a clear, retryable error while the others work, and lets one in when a place frees', async () => {
  expect(await room.connect({})).toMatchObject({ enabled: true, connected: true, embedded: { pid: expect.any(Number) } });
  const { url } = await room.createLink('control', 'capped');
  const first = await bed.remote(url);
  const second = await bed.remote(url);

  const refused = await bed.remote(url).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(RelayConnectError);
  expect(refused).toMatchObject({ code: 4429, kind: 'closed', message: 'too many connections: try again shortly' });
  expect((refused as RelayConnectError).retryable).toBe(true);

  // The two within the cap were not disturbed, and the room counts only them.
  for (const client of [first, second]) {
    expect(await client.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1, title: 'Greet' }] });
  }
  expect(room.listLinks()).toMatchObject([{ label: 'capped', connections: 2 }]);

  // One leaves: the daemon hears it through the relay, and the next client gets its place.
  first.client.close();
  await until(() => room.listLinks()[0]!.connections, (connections) => connections === 1, 'the place to free');
  const third = await bed.remote(url);
  expect(await third.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
  await expect(bed.remote(url)).rejects.toMatchObject({ code: 4429 });
  expect(await second.client.request('project.list', {})).toMatchObject({ projects: [{ name: 'repo' }] });
});
