// Approvals through the real CLI, daemon, tmux and the fake agent's permission hook: `vibe approvals` lists what
// waits, `vibe approve` lets the agent go on, `vibe deny --reason` tells it why, a second answer is refused, and
// `vibe task log` shows each decision and who made it — over the local socket and over `--link`, where a
// view-only link may look but not answer.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox } from './harness.js';

interface ApprovalJson {
  id: string;
  taskNumber: number;
  tool: string;
  detail: string;
  via: string;
  state: string;
  answeredBy: string | null;
  reason: string | null;
}

/** How the daemon names who answered on its own socket: the machine's user. */
const me = userInfo().username;

let owner: Sandbox;
let remote: Sandbox;
let repo: string;
let controlUrl: string;
let viewUrl: string;

beforeAll(async () => {
  owner = new Sandbox();
  owner.env.VIBE_SECRET_STORE = 'file';
  // Asks to delete the build folder, then writes the answer it got into answer.txt in its worktree.
  owner.configure({ agents: { fake: fakeAgent('print:ready;approve:Bash=rm -rf build;edit:answer.txt={answer};hook:idle;sleep:600000') } });
  repo = owner.repo('app');
  expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
  remote = new Sandbox();
  controlUrl = (await owner.json<{ url: string }>(['connect', '--label', 'laptop'])).url;
  viewUrl = (await owner.json<{ url: string }>(['connect', '--read-only', '--label', 'phone'])).url;
}, 60_000);
afterAll(async () => {
  await remote?.dispose();
  await owner?.dispose();
});

/** Adds and starts a task for the fake agent; resolves with its worktree once its approval is pending. */
async function asking(title: string): Promise<{ number: number; worktree: string; approval: ApprovalJson }> {
  const started = await owner.json<{ task: { number: number }; session: { worktree: string } }>(['task', 'add', title, '--agent', 'fake', '--start'], { cwd: repo });
  const approval = await eventually(async () => {
    const { approvals } = await owner.json<{ approvals: ApprovalJson[] }>(['approvals'], { cwd: repo });
    return approvals.find((a) => a.taskNumber === started.task.number);
  }, 'the pending approval');
  return { number: started.task.number, worktree: started.session.worktree, approval };
}

const answerIn = (worktree: string): Promise<string> =>
  eventually(async () => {
    try {
      return readFileSync(join(worktree, 'answer.txt'), 'utf8');
    } catch {
      return undefined;
    }
  }, 'the agent to write its answer');

describe('vibe approvals, approve and deny', () => {
  it('lists the pending approval with the exact command, and approve lets the agent go on with allow', async () => {
    const { worktree, approval } = await asking('Clean the build');
    expect(approval).toMatchObject({ tool: 'Bash', detail: 'rm -rf build', via: 'hook', state: 'pending' });
    const table = await owner.vibe(['approvals'], { cwd: repo });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+TASK\s+AGENT\s+TOOL\s+DETAIL\s+ASKED/);
    expect(table.stdout).toMatch(new RegExp(`^\\s*${approval.id}\\s+#1\\s+fake\\s+Bash\\s+rm -rf build\\s`, 'm'));
    expect(table.stderr).toContain('vibe approve ID');

    const approved = await owner.vibe(['approve', approval.id]);
    expect(approved).toMatchObject({ code: 0, stdout: '' });
    expect(approved.stderr.trim()).toBe(`allowed approval ${approval.id} (app#1 Bash: rm -rf build)`);
    expect(await answerIn(worktree)).toBe('allow\n');
    expect((await owner.vibe(['approvals'], { cwd: repo })).stderr).toContain('nothing waits for an answer');
  });

  it('denies with a reason the agent receives, refuses a second answer, and the task log says who decided', async () => {
    const { number, worktree, approval } = await asking('Clean again');
    const denied = await owner.json<{ approval: ApprovalJson }>(['deny', approval.id, '--reason', 'keep the build for now']);
    expect(denied.approval).toMatchObject({ state: 'denied', answeredBy: me, reason: 'keep the build for now' });
    expect(await answerIn(worktree)).toBe('deny\n');

    const again = await owner.vibe(['approve', approval.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^vibe: approval ${approval.id} was already denied by ${me} at \\S+\\n$`));

    const log = await owner.vibe(['task', 'log', String(number)], { cwd: repo });
    expect(log.stdout).toMatch(new RegExp(`approval\\.requested\\s+approval ${approval.id} asked \\(hook\\) Bash: rm -rf build`));
    expect(log.stdout).toMatch(new RegExp(`approval\\.answered\\s+approval ${approval.id} denied by ${me} — keep the build for now`));
    const all = await owner.vibe(['approvals', '--all'], { cwd: repo });
    expect(all.stdout).toMatch(/STATE\s+BY/);
    expect(all.stdout).toMatch(new RegExp(`^\\s*${approval.id}\\s+#${number}\\s.*denied\\s+${me}$`, 'm'));
  });

  it('refuses an id that is not one, and an unknown one', async () => {
    const bad = await owner.vibe(['approve', 'abc']);
    expect(bad).toMatchObject({ code: 2, stderr: 'vibe: "abc" is not an approval id — `vibe approvals` lists them\n' });
    const unknown = await owner.vibe(['deny', '999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no approval 999');
  });
});

describe('approvals over --link', () => {
  it('a view-only link lists them but may not answer; a control link answers, named by its label', async () => {
    const { worktree, approval } = await asking('Clean from afar');
    const listed = await remote.json<{ approvals: ApprovalJson[] }>(['--link', viewUrl, 'approvals']);
    expect(listed.approvals.map((a) => a.id)).toContain(approval.id);
    const refused = await remote.vibe(['--link', viewUrl, 'approve', approval.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('vibe: approval.answer: this link is view-only\n');

    const allowed = await remote.vibe(['--link', controlUrl, 'approve', approval.id]);
    expect(allowed.code).toBe(0);
    expect(await answerIn(worktree)).toBe('allow\n');
    const [settled] = (await owner.json<{ approvals: ApprovalJson[] }>(['approvals', '--all'])).approvals;
    expect(settled).toMatchObject({ id: approval.id, state: 'allowed', answeredBy: 'laptop' });
  });
});
