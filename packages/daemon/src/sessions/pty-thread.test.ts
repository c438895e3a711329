// The pty thread with real ptys and the built worker: output, input, exit, and reading that goes on while
// the daemon's event loop is blocked — bounded, and with nothing lost when the bound is reached.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logger.js';
import { PtyThread } from './pty-thread.js';
import type { AttachPty } from './processes.js';

const script = fileURLToPath(new URL('../../dist/pty-worker.js', import.meta.url));
const threads: PtyThread[] = [];
const dirs: string[] = [];

function doneFilePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pty-thread-'));
  dirs.push(dir);
  return join(dir, 'done');
}

function thread(options: { maxUntaken?: number; lendInput?: boolean } = {}): PtyThread {
  const created = new PtyThread(script, nullLogger, options);
  threads.push(created);
  return created;
}

function run(pty: AttachPty): { output: () => Buffer; exited: Promise<number> } {
  const chunks: Buffer[] = [];
  pty.onData((bytes) => chunks.push(Buffer.from(bytes)));
  const exited = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  return { output: () => Buffer.concat(chunks), exited };
}

const options = { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cols: 80, rows: 24, term: 'xterm' };

function blockFor(ms: number): number {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // the daemon's event loop, stalled
  }
  return Date.now();
}

afterEach(async () => {
  await Promise.all(threads.splice(0).map((created) => created.dispose()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(script))('PtyThread', () => {
  it('runs a program on a pty of the thread: its output, what is typed to it, its exit status, pid and tty', async () => {
    const pty = thread().spawn('sh', ['-c', 'stty -echo; printf "ready\\n"; read line; printf "got:%s\\n" "$line"; exit 3'], options);
    const { output, exited } = run(pty);
    for (let i = 0; i < 200 && !output().includes('ready'); i++) await sleep(10);
    expect(pty.pid).toBeGreaterThan(0);
    expect(pty.ptsName).toMatch(/^\/dev\/pts\/\d+$/);
    pty.write('hello thread\r');
    expect(await exited).toBe(3);
    expect(output().toString()).toContain('got:hello thread');
  });

  it('writes input from the daemon\'s loop, and never to a descriptor that took the number of a pty the thread closed', async () => {
    const ptmx = (): number[] => readdirSync('/proc/self/fd').map(Number).filter((fd) => linkOf(fd) === '/dev/ptmx');
    const before = ptmx();
    const pty = thread().spawn('sh', ['-c', 'stty -echo; printf "ready\\n"; read line; printf "got:%s\\n" "$line"; sleep 0.2'], options);
    const { output, exited } = run(pty);
    for (let i = 0; i < 200 && !output().includes('ready'); i++) await sleep(10);
    const [fd] = ptmx().filter((n) => !before.includes(n));
    expect(fd).toBeDefined();
    pty.write('first\r');
    for (let i = 0; i < 200 && !output().includes('got:first'); i++) await sleep(10);
    // The program ends and the thread closes the descriptor while this loop is blocked, so the exit is not
    // heard here yet; the number is taken by a file, and a late key must not land in it.
    blockFor(800);
    const file = doneFilePath();
    const opened: number[] = [];
    try {
      for (let i = 0; i < 1000 && !opened.includes(fd!); i++) opened.push(openSync(file, 'a+'));
      expect(opened).toContain(fd);
      pty.write('late key\r');
      expect(readFileSync(file, 'utf8')).toBe('');
    } finally {
      for (const n of opened) closeSync(n);
    }
    await exited;
    expect(pty.pendingWrite()).toBe(0);
  });

  it.each<[string, { lendInput?: boolean }]>([
    ["written from the daemon's loop", {}],
    ['written by the thread (no descriptor lent)', { lendInput: false }],
  ])('counts input the pty has not taken, and sees it taken with no further write or output: %s', async (_, threadOptions) => {
    // Raw, no echo, and nothing read for a second: the kernel takes a few KiB, the rest waits to be written.
    const pty = thread(threadOptions).spawn('sh', ['-c', 'stty raw -echo; sleep 1; exec cat > /dev/null'], options);
    run(pty);
    for (let i = 0; i < 200 && pty.pid === undefined; i++) await sleep(10);
    await sleep(100);
    pty.write(Buffer.alloc(200_000, 'k'));
    for (let i = 0; i < 50 && pty.pendingWrite() === 0; i++) await sleep(10);
    expect(pty.pendingWrite()).toBeGreaterThan(100_000);
    for (let i = 0; i < 300 && pty.pendingWrite() > 0; i++) await sleep(10);
    expect(pty.pendingWrite()).toBe(0);
  });

  /**
   * A program that writes 1 MB of one letter while the event loop is blocked for 2.5 s. The time its last
   * byte was written goes to a file; the program then lingers, so its exit never races the reading of its
   * output (node-pty stops reading 200 ms after an exit).
   */
  async function writeWhileBlocked(on: PtyThread, letter: string): Promise<{ writtenAt: number; freedAt: number; received: number }> {
    const doneFile = doneFilePath();
    const pty = on.spawn('sh', ['-c', `sleep 0.2; head -c 1000000 /dev/zero | tr "\\0" ${letter}; date +%s%3N > ${doneFile}; sleep 0.5`], options);
    const { output, exited } = run(pty);
    await sleep(50);
    const freedAt = blockFor(2500);
    await exited;
    return { writtenAt: Number(readFileSync(doneFile, 'utf8')), freedAt, received: output().toString().split(letter).length - 1 };
  }

  it('keeps reading while the event loop is blocked: a program that writes 1 MB finishes before the loop is free again', async () => {
    const { writtenAt, freedAt, received } = await writeWhileBlocked(thread(), 'x');
    expect(writtenAt).toBeLessThan(freedAt);
    expect(received).toBe(1_000_000);
  });

  it('stops reading past its bound while the loop is blocked, and loses nothing when it reads on', async () => {
    const { writtenAt, freedAt, received } = await writeWhileBlocked(thread({ maxUntaken: 64 * 1024 }), 'y');
    // The writer was held back until the daemon took what the thread had read.
    expect(writtenAt).toBeGreaterThanOrEqual(freedAt);
    expect(received).toBe(1_000_000);
  });

  it('runs programs on the thread: exit code, output and errors; one in flight gets -1 when the thread ends', async () => {
    const created = thread();
    expect(created.running).toBe(false);
    expect(await created.run('sh', ['-c', 'printf out; printf err >&2; exit 3'])).toEqual({ code: 3, stdout: 'out', stderr: 'err' });
    expect(created.running).toBe(true);
    const slow = created.run('sleep', ['5']);
    await sleep(100);
    const started = Date.now();
    await created.dispose();
    expect(await slow).toMatchObject({ code: -1 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('starts a new thread for the next pty when its thread has ended', async () => {
    const created = thread();
    expect(await run(created.spawn('sh', ['-c', 'exit 5'], options)).exited).toBe(5);
    // Ended behind its back, with no pty left on it (a live one would make node-pty abort the process).
    await (created as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(await run(created.spawn('sh', ['-c', 'exit 7'], options)).exited).toBe(7);
  });

  it('ends when stopped by hanging up on its ptys and waiting for them, not by tearing the thread down', async () => {
    const created = thread();
    const ptys = [0, 1, 2].map(() => run(created.spawn('sh', ['-c', 'exec sleep 30'], options)));
    await sleep(200);
    const started = Date.now();
    await created.dispose();
    // The hangup ended them at once (a terminated thread would have taken no time at all, or aborted).
    expect(Date.now() - started).toBeLessThan(2000);
    const ended = await Promise.race([Promise.all(ptys.map((p) => p.exited)).then(() => 'reported'), sleep(300).then(() => 'not reported')]);
    // A stopping daemon hears nothing more from the thread: its listeners are gone with the sessions.
    expect(ended).toBe('not reported');
  });
});

function linkOf(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
