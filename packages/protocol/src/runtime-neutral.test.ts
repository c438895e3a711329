// The protocol must run in a browser: bundle it for one and run the bundle where no Node globals exist.
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { METHODS } from './methods.js';
import { PROTOCOL_VERSION } from './version.js';

async function browserBundle(): Promise<string> {
  const result = await build({
    stdin: {
      // The same checks a web view will make: a full control round trip through the codec and client.
      contents: `
        import { ControlClient, encodeControl, FileWriteParams, FrameDecoder, METHODS, TaskCreateParams, PROTOCOL_VERSION,
          acceptClientHello, ClientHandshake, daemonIdFor, generateIdentity, randomBytes, RecordCipher, toBase64Url } from './index.ts';
        // The E2E envelope as a page served over plain http would run it: getRandomValues, but no crypto.subtle.
        const identity = generateIdentity();
        const secret = randomBytes(32);
        const linkId = toBase64Url(randomBytes(8));
        const e2eClient = new ClientHandshake({ relayUrl: 'http://192.168.1.2:8080', daemonId: daemonIdFor(identity.publicKey), linkId, secret });
        const accepted = acceptClientHello(e2eClient.hello, () => ({ secret }), identity);
        const clientCipher = new RecordCipher(e2eClient.finish(accepted.reply));
        const daemonCipher = new RecordCipher(accepted.keys);
        const opened = new TextDecoder().decode(daemonCipher.open(clientCipher.seal(new TextEncoder().encode('ls -la'))[0]));
        const sent = [];
        const client = new ControlClient({ send: (bytes) => sent.push(bytes), close() {} });
        const welcome = client.start({ client: { name: 'browser', version: '0' } });
        const hello = new FrameDecoder().push(sent[0])[0].frame;
        client.receive(encodeControl({ type: 'welcome', protocol: PROTOCOL_VERSION, daemon: { version: 'x', pid: 1 }, capabilities: [] }));
        globalThis.result = welcome.then((w) => ({
          helloBytes: hello.payload.length,
          welcomeProtocol: w.protocol,
          methods: Object.keys(METHODS).length,
          validTitle: TaskCreateParams.safeParse({ title: 'ok' }).success,
          emptyTitle: TaskCreateParams.safeParse({ title: ' ' }).success,
          fileChunk: FileWriteParams.safeParse({ number: 1, path: 'a.txt', upload: 'upload-01', offset: 0, data: 'aGk=', size: 2 }).success,
          e2e: opened,
        }));
      `,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('the protocol package in a browser', () => {
  it('bundles for the browser platform without any Node built-in', async () => {
    // esbuild fails the browser build if anything reachable imports node:* or a Node built-in.
    await expect(browserBundle()).resolves.toContain('ControlClient');
  });

  it('encodes, decodes and validates in a context with no Node globals', async () => {
    const code = await browserBundle();
    // A plain-http LAN page: getRandomValues exists, WebCrypto's subtle does not.
    const crypto = { getRandomValues: (array: Uint8Array<ArrayBuffer>) => globalThis.crypto.getRandomValues(array) };
    // atob, as every browser has it: zod's base64 check (file.write's data) decodes with it.
    const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder, Promise, console, crypto, atob };
    sandbox.globalThis = sandbox;
    runInNewContext(code, sandbox);
    expect(sandbox.process).toBeUndefined();
    const result = await (sandbox.result as Promise<Record<string, unknown>>);
    expect(result).toEqual({ helloBytes: expect.any(Number), welcomeProtocol: PROTOCOL_VERSION, methods: Object.keys(METHODS).length, validTitle: true, emptyTitle: false, fileChunk: true, e2e: 'ls -la' });
    expect(result.helloBytes).toBeGreaterThan(20);
  });
});
