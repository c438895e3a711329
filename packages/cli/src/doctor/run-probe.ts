// Runs a version probe (`git --version`) with a timeout and no shell.
import { execFile } from 'node:child_process';

export type ProbeResult = { ok: true; output: string } | { ok: false; reason: string };

/** How doctor runs programs; tests pass their own. */
export type ProbeRunner = (file: string, args: readonly string[]) => Promise<ProbeResult>;

export function execProbe(timeoutMs: number): ProbeRunner {
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { encoding: 'utf8', timeout: timeoutMs, windowsHide: true, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        if (!error) {
          resolve({ ok: true, output: `${stdout}${stderr}` });
          return;
        }
        if (error.killed) resolve({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` });
        else resolve({ ok: false, reason: firstLine(stderr) || error.message });
      });
    });
}

export function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
