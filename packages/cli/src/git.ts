// The two facts `vibe up` needs from git: the repository's top level and the branch checked out there.
import { execFile } from 'node:child_process';
import { CliError, UsageError } from './errors.js';

export interface RepoInfo {
  toplevel: string;
  branch: string;
}

type GitRunner = (args: string[], cwd: string) => Promise<{ code: number; stdout: string; stderr: string }>;

const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new CliError('git is not installed or not on PATH (see `vibe doctor`)', 1, { cause: error }));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

export async function currentRepo(cwd: string, git: GitRunner = runGit): Promise<RepoInfo> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0 || top.stdout.trim() === '') throw new UsageError(`not inside a git repository (${cwd})`);
  const toplevel = top.stdout.replace(/\n$/, '');
  const head = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], toplevel);
  if (head.code !== 0 || head.stdout.trim() === '') {
    throw new UsageError(`HEAD is detached in ${toplevel}: check out the branch tasks should start from (git switch main), then run \`vibe up\` again`);
  }
  return { toplevel, branch: head.stdout.trim() };
}
