// The unread-input probe: which paths it will pass to perl, how it reads perl's answer, and a real pty.
import { describe, expect, it } from 'vitest';
import { execRunner, nodePtySpawner } from './processes.js';
import { parseUnread, unreadProbeArgs, UNREAD_SCRIPT } from './tty-probe.js';

const hasPerl = (await execRunner()('perl', ['-e', '1'])).code === 0;

describe('unread probe', () => {
  it('passes only tty paths, after `--`, so none can be read as a perl switch', () => {
    expect(unreadProbeArgs(['/dev/pts/3', '/dev/ttys003'])).toEqual(['-e', UNREAD_SCRIPT, '--', '/dev/pts/3', '/dev/ttys003']);
    for (const bad of ['-e', '/dev/pts/3 x', '/etc/../dev/pts/1', 'pts/3', '']) expect(unreadProbeArgs([bad])).toBeUndefined();
    expect(unreadProbeArgs([])).toBeUndefined();
  });

  it('reads a count only from a clean answer', () => {
    expect(parseUnread({ code: 0, stdout: '0\n', stderr: '' })).toBe(0);
    expect(parseUnread({ code: 0, stdout: '8190\n', stderr: '' })).toBe(8190);
    expect(parseUnread({ code: 2, stdout: '', stderr: '' })).toBeUndefined();
    expect(parseUnread({ code: 0, stdout: 'Can\'t locate Fcntl.pm\n', stderr: '' })).toBeUndefined();
  });

  it.skipIf(!hasPerl)('counts what a program leaves unread on its tty, on both looks', async () => {
    const pty = nodePtySpawner('sh', ['-c', 'stty raw -echo; echo ready; exec sleep 30'], { cwd: '/', env: { PATH: process.env.PATH ?? '' }, cols: 80, rows: 24, term: 'xterm' });
    try {
      await new Promise<void>((resolve) => pty.onData((data) => Buffer.from(data).toString().includes('ready') && resolve()));
      const run = execRunner();
      expect(parseUnread(await run('perl', unreadProbeArgs([pty.ptsName!])!))).toBe(0);
      pty.write('hello');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(parseUnread(await run('perl', unreadProbeArgs([pty.ptsName!])!))).toBe(10);
      expect(parseUnread(await run('perl', unreadProbeArgs(['/dev/pts/99999'])!))).toBeUndefined();
    } finally {
      pty.kill('SIGKILL');
    }
  });
});
