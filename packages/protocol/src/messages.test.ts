// Tests for the message schemas, the method catalogue, edge validation and the task status table.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProtocolError } from './errors.js';
import { LIMITS } from './limits.js';
import { ClientMessage, DaemonMessage, Event, Hello, Request, Response, Welcome } from './messages/envelope.js';
import { EVENT_NAMES, EventsSubscribeParams } from './messages/events.js';
import { ProjectRegisterParams } from './messages/project.js';
import { Task, TaskCreateParams, TaskListParams, TaskMoveParams, TaskStatus, TaskUpdateParams } from './messages/task.js';
import { LinkCreateParams, RelayConnectParams, RelayStatus } from './messages/relay.js';
import { isMethodName, METHODS } from './methods.js';
import { canTransition, isTaskStatus, TASK_STATUSES, TASK_TRANSITIONS, type TaskStatus as TaskStatusName } from './task-status.js';
import { parseOrThrow } from './validate.js';

const task = {
  project: 'myapp',
  projectId: 1,
  number: 3,
  title: 'Fix the flaky login test',
  description: '',
  agent: null,
  status: 'todo',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('METHODS', () => {
  it('gives every method a params schema, a result schema and a doc line', () => {
    for (const [method, spec] of Object.entries(METHODS)) {
      expect(spec.params, method).toBeInstanceOf(z.ZodType);
      expect(spec.result, method).toBeInstanceOf(z.ZodType);
      expect(spec.doc, method).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('names every method family.verb', () => {
    for (const method of Object.keys(METHODS)) expect(method).toMatch(/^[a-z]+\.[a-z]+$/);
  });

  it('lists the methods documented in docs/protocol.md', () => {
    expect(Object.keys(METHODS)).toEqual([
      'daemon.status',
      'daemon.stop',
      'project.register',
      'project.list',
      'project.update',
      'task.create',
      'task.list',
      'task.get',
      'task.update',
      'task.move',
      'task.remove',
      'task.start',
      'task.stop',
      'session.list',
      'session.attach',
      'session.detach',
      'session.resize',
      'session.send',
      'session.hook',
      'task.diff',
      'task.review',
      'task.merge',
      'task.rebase',
      'task.pr',
      'task.log',
      'worktree.gc',
      'events.subscribe',
      'events.unsubscribe',
      'relay.connect',
      'relay.disconnect',
      'relay.status',
      'link.create',
      'link.list',
      'link.revoke',
      'file.write',
      'file.cancel',
      'file.read',
      'inbox.post',
      'inbox.read',
      'chat.post',
      'chat.list',
      'session.viewers',
      'approval.list',
      'approval.answer',
      'approval.request',
    ]);
  });

  it('recognises its own method names and nothing inherited', () => {
    expect(isMethodName('task.create')).toBe(true);
    expect(isMethodName('task.delete')).toBe(false);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('accepts {} as the params of every method that takes no required parameter', () => {
    const needsParams = [
      'project.register',
      'task.create',
      'task.get',
      'task.update',
      'task.move',
      'task.remove',
      'task.start',
      'task.stop',
      'session.attach',
      'session.detach',
      'session.resize',
      'session.send',
      'session.hook',
      'task.diff',
      'task.review',
      'task.merge',
      'task.rebase',
      'task.pr',
      'task.log',
      'events.unsubscribe',
      'inbox.post',
      'inbox.read',
      'link.create',
      'link.revoke',
      'file.write',
      'file.cancel',
      'file.read',
      'chat.post',
      'session.viewers',
      'approval.answer',
      'approval.request',
    ];
    for (const [method, spec] of Object.entries(METHODS)) {
      expect(spec.params.safeParse({}).success, method).toBe(!needsParams.includes(method));
    }
  });
});

describe('METHODS access (@since 1.3)', () => {
  const byAccess = (access: string): string[] => Object.entries(METHODS).filter(([, spec]) => spec.access === access).map(([name]) => name).sort();

  it('lets view-only links call exactly the read methods of the relay contract', () => {
    expect(byAccess('read')).toEqual(
      ['daemon.status', 'project.list', 'task.list', 'task.get', 'session.list', 'session.attach', 'session.detach', 'task.diff', 'task.log', 'events.subscribe', 'events.unsubscribe', 'relay.status', 'file.read', 'chat.post', 'chat.list', 'session.viewers', 'approval.list'].sort(),
    );
  });

  it('keeps the daemon, its relay, its links and agent hooks to the local socket', () => {
    expect(byAccess('local')).toEqual(['daemon.stop', 'session.hook', 'relay.connect', 'relay.disconnect', 'link.create', 'link.list', 'link.revoke', 'approval.request'].sort());
  });

  it('marks everything else, and everything that types into a terminal, write', () => {
    expect(byAccess('write')).toEqual(expect.arrayContaining(['session.send', 'session.resize', 'task.start', 'task.merge', 'project.register', 'file.write', 'file.cancel']));
    expect(byAccess('read').length + byAccess('write').length + byAccess('local').length).toBe(Object.keys(METHODS).length);
  });
});

describe('the relay and link schemas (@since 1.3)', () => {
  it('takes an http(s) relay address, or none for the embedded relay', () => {
    expect(RelayConnectParams.safeParse({}).success).toBe(true);
    expect(RelayConnectParams.safeParse({ relay: 'https://relay.example/vibe' }).success).toBe(true);
    expect(RelayConnectParams.safeParse({ relay: 'http://192.168.1.2:8080' }).success).toBe(true);
    expect(RelayConnectParams.safeParse({ relay: 'ftp://relay.example' }).success).toBe(false);
    expect(RelayConnectParams.safeParse({ relay: 'relay.example' }).success).toBe(false);
  });

  it('bounds the embedded relay port and host', () => {
    expect(RelayConnectParams.safeParse({ host: '0.0.0.0', port: 0 }).success).toBe(true);
    expect(RelayConnectParams.safeParse({ host: '::1', port: 65535 }).success).toBe(true);
    expect(RelayConnectParams.safeParse({ port: 65536 }).success).toBe(false);
    expect(RelayConnectParams.safeParse({ port: -1 }).success).toBe(false);
    expect(RelayConnectParams.safeParse({ port: 80.5 }).success).toBe(false);
    expect(RelayConnectParams.safeParse({ host: '' }).success).toBe(false);
    expect(RelayConnectParams.safeParse({ host: '127.0.0.1; rm -rf /' }).success).toBe(false);
  });

  it('takes a link label of 1 to 100 characters without control characters', () => {
    expect(LinkCreateParams.parse({ kind: 'view', label: 'phone 📱' })).toEqual({ kind: 'view', label: 'phone 📱' });
    expect(LinkCreateParams.safeParse({ kind: 'control', label: 'x'.repeat(100) }).success).toBe(true);
    expect(LinkCreateParams.safeParse({ kind: 'control', label: 'x'.repeat(101) }).success).toBe(false);
    expect(LinkCreateParams.safeParse({ kind: 'control', label: '' }).success).toBe(false);
    expect(LinkCreateParams.safeParse({ kind: 'control', label: 'a\u001b[2Jb' }).success).toBe(false);
    expect(LinkCreateParams.safeParse({ kind: 'admin' }).success).toBe(false);
  });

  it('describes a relay status as the contract gives it', () => {
    const status = { enabled: true, url: 'http://127.0.0.1:4000', daemonId: 'a'.repeat(22), connected: false, connectedAt: null, lastError: 'refused', embedded: { host: '127.0.0.1', port: 4000, pid: null }, secretStore: 'file' };
    expect(RelayStatus.parse(status)).toEqual(status);
    expect(RelayStatus.safeParse({ ...status, secretStore: 'env' }).success).toBe(false);
  });

  it('lets a welcome carry the access and daemon id, and an older one leave them out', () => {
    const welcome = { type: 'welcome', protocol: '1.3', daemon: { version: '1', pid: 1 }, capabilities: ['relay'] };
    expect(Welcome.parse({ ...welcome, access: 'view', daemonId: 'abc' })).toMatchObject({ access: 'view', daemonId: 'abc' });
    expect(Welcome.safeParse(welcome).success).toBe(true);
    expect(Welcome.safeParse({ ...welcome, access: 'admin' }).success).toBe(false);
  });
});

describe('TaskCreateParams', () => {
  const hostile = [
    ['a shell substitution', '$(rm -rf /)'],
    ['backticks', '`reboot` and `id`'],
    ['an OSC 52 clipboard write', '\u001b]52;c;SGVsbG8=\u0007'],
    ['a clear-screen escape', '\u001b[2J\u001b[H'],
    ['a NUL byte', 'before\u0000after'],
    ['emoji', '🔥 fix 👩‍👩‍👧 login 🙂'],
    ['an RTL override', 'abc\u202edcba.exe'],
    ['leading and trailing spaces', '  padded title  '],
    ['SQL', "'; DROP TABLE tasks; --"],
    ['HTML', '<img src=x onerror=alert(1)>'],
  ];

  it.each(hostile)('accepts a title with %s verbatim', (_what, title) => {
    expect(TaskCreateParams.parse({ title })).toEqual({ title });
  });

  it.each([
    ['empty', ''],
    ['a space', ' '],
    ['tabs and newlines', '\t\r\n'],
    ['non-breaking and ideographic spaces', '\u00a0\u3000'],
  ])('refuses a title that is %s', (_what, title) => {
    const result = TaskCreateParams.safeParse({ title });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['title'], message: 'title must not be empty' });
  });

  it('accepts a title of exactly LIMITS.titleMax characters and refuses one more', () => {
    expect(TaskCreateParams.safeParse({ title: 'x'.repeat(LIMITS.titleMax) }).success).toBe(true);
    const result = TaskCreateParams.safeParse({ title: 'x'.repeat(LIMITS.titleMax + 1) });
    expect(result.error?.issues[0]?.message).toBe(`title is longer than ${LIMITS.titleMax} characters`);
  });

  it('counts the title limit in Unicode code points, so an emoji counts once', () => {
    expect(TaskCreateParams.safeParse({ title: '🙂'.repeat(LIMITS.titleMax) }).success).toBe(true);
    expect(TaskCreateParams.safeParse({ title: `${'🙂'.repeat(LIMITS.titleMax)}x` }).success).toBe(false);
  });

  it('accepts a description of exactly LIMITS.descriptionMax characters and refuses one more', () => {
    expect(TaskCreateParams.safeParse({ title: 't', description: 'd'.repeat(LIMITS.descriptionMax) }).success).toBe(true);
    const result = TaskCreateParams.safeParse({ title: 't', description: 'd'.repeat(LIMITS.descriptionMax + 1) });
    expect(result.error?.issues[0]).toMatchObject({
      path: ['description'],
      message: `description is longer than ${LIMITS.descriptionMax} characters`,
    });
  });

  it('accepts an empty description', () => {
    expect(TaskCreateParams.parse({ title: 't', description: '' })).toEqual({ title: 't', description: '' });
  });

  it.each(['claude', 'codex', 'gemini', 'my-agent.v2', 'fake_agent', '0day', 'a'.repeat(LIMITS.agentNameMax)])(
    'accepts the agent name %j',
    (agent) => {
      expect(TaskCreateParams.parse({ title: 't', agent })).toEqual({ title: 't', agent });
    },
  );

  it.each(['', 'Claude', '-x', '.hidden', '_x', 'a b', 'x;rm -rf', 'claude\n', '../bin/sh', 'é', 'a'.repeat(LIMITS.agentNameMax + 1)])(
    'refuses the agent name %j',
    (agent) => {
      const result = TaskCreateParams.safeParse({ title: 't', agent });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['agent']);
    },
  );

  it('takes the project by name or by a directory inside it', () => {
    expect(TaskCreateParams.parse({ title: 't', project: 'myapp', cwd: '/src/myapp/lib' })).toEqual({
      title: 't',
      project: 'myapp',
      cwd: '/src/myapp/lib',
    });
    expect(TaskCreateParams.safeParse({ title: 't', project: '' }).success).toBe(false);
    expect(TaskCreateParams.safeParse({ title: 't', cwd: '' }).success).toBe(false);
  });

  it('drops fields it does not know, so a newer client can talk to an older daemon', () => {
    expect(TaskCreateParams.parse({ title: 't', priority: 'high' })).toEqual({ title: 't' });
  });
});

describe('other params schemas', () => {
  it('lets task.update reset the agent with null and leave the title unchanged', () => {
    expect(TaskUpdateParams.parse({ number: 1, agent: null })).toEqual({ number: 1, agent: null });
    expect(TaskUpdateParams.safeParse({ number: 1, title: ' ' }).success).toBe(false);
  });

  it.each([0, -1, 1.5, '1'])('refuses the task number %j', (number) => {
    expect(TaskMoveParams.safeParse({ number, status: 'done' }).success).toBe(false);
  });

  it('refuses a move to a status that does not exist', () => {
    expect(TaskMoveParams.safeParse({ number: 1, status: 'blocked' }).success).toBe(false);
  });

  it('refuses a relative repository path', () => {
    const result = ProjectRegisterParams.safeParse({ path: 'src/myapp', baseBranch: 'main' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['path'], message: 'path must be absolute' });
  });

  it.each(['my#app', 'tab\there', 'bell\u0007', 'del\u007f', ''])('refuses the project name %j', (name) => {
    expect(ProjectRegisterParams.safeParse({ path: '/src/x', baseBranch: 'main', name }).success).toBe(false);
  });

  it('accepts a project name with spaces and non-ASCII letters', () => {
    expect(ProjectRegisterParams.safeParse({ path: '/src/x', baseBranch: 'main', name: 'Mon appli ✓' }).success).toBe(true);
  });

  it('refuses a negative replay point and unknown event names in events.subscribe', () => {
    expect(EventsSubscribeParams.safeParse({ since: 0, names: ['task.created'] }).success).toBe(true);
    expect(EventsSubscribeParams.safeParse({ since: -1 }).success).toBe(false);
    expect(EventsSubscribeParams.safeParse({ names: ['task.deleted'] }).success).toBe(false);
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value on success', () => {
    expect(parseOrThrow(TaskCreateParams, { title: 'ok', extra: 1 }, 'invalid_params', 'task.create params')).toEqual({ title: 'ok' });
  });

  it('throws a ProtocolError with the code given and the first issue in the message', () => {
    let caught: unknown;
    try {
      parseOrThrow(TaskCreateParams, { title: ' ' }, 'invalid_params', 'task.create params');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).toJSON()).toEqual({
      code: 'invalid_params',
      message: 'invalid task.create params: title: title must not be empty',
      data: { issues: [{ path: 'title', message: 'title must not be empty' }] },
    });
  });

  it('lists every issue with a dotted path into nested values', () => {
    const call = () => parseOrThrow(TaskListParams, { status: ['todo', 'blocked'], allProjects: 'yes' }, 'invalid_params', 'task.list params');
    expect(call).toThrow(ProtocolError);
    const data = (() => {
      try {
        call();
      } catch (error) {
        return (error as ProtocolError).data;
      }
      return undefined;
    })() as { issues: { path: string; message: string }[] };
    expect(data.issues.map((issue) => issue.path)).toEqual(['status.1', 'allProjects']);
    for (const issue of data.issues) expect(issue.message).not.toBe('');
  });

  it('leaves out the path prefix when the whole value is wrong', () => {
    expect(() => parseOrThrow(Hello, 'hello', 'malformed', 'hello')).toThrow(/^invalid hello: [A-Z]/);
    expect(() => parseOrThrow(Hello, 'hello', 'malformed', 'hello')).toThrow(expect.objectContaining({ code: 'malformed' }));
  });
});

describe('task statuses', () => {
  it('has a transition list for every status and only known statuses in it', () => {
    expect(Object.keys(TASK_TRANSITIONS).sort()).toEqual([...TASK_STATUSES].sort());
    for (const targets of Object.values(TASK_TRANSITIONS)) for (const to of targets) expect(isTaskStatus(to), to).toBe(true);
  });

  it('makes done final', () => {
    expect(TASK_TRANSITIONS.done).toEqual([]);
    for (const to of TASK_STATUSES) expect(canTransition('done', to), `done → ${to}`).toBe(false);
  });

  it('reaches done only through review', () => {
    for (const from of TASK_STATUSES) expect(canTransition(from, 'done'), `${from} → done`).toBe(from === 'in_review');
  });

  it('reaches every status from todo', () => {
    const seen = new Set<TaskStatusName>(['todo']);
    const queue: TaskStatusName[] = ['todo'];
    for (let from = queue.shift(); from; from = queue.shift()) {
      for (const to of TASK_TRANSITIONS[from]) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...TASK_STATUSES].sort());
  });

  it('lets a cancelled task be reopened only to todo', () => {
    expect(TASK_TRANSITIONS.cancelled).toEqual(['todo']);
  });

  it('agrees with the table for every pair of statuses', () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(TASK_TRANSITIONS[from].includes(to));
      }
    }
  });

  it('allows no status to move to itself', () => {
    for (const status of TASK_STATUSES) expect(canTransition(status, status), status).toBe(false);
  });

  it('uses the same statuses in the schema as in the plain list', () => {
    expect(TaskStatus.options).toEqual([...TASK_STATUSES]);
    expect(isTaskStatus('todo')).toBe(true);
    expect(isTaskStatus('TODO')).toBe(false);
    expect(isTaskStatus(undefined)).toBe(false);
  });
});

describe('envelopes', () => {
  const hello = { type: 'hello', protocol: '1.0', client: { name: 'vibe-cli', version: '0.1.0' }, capabilities: ['events'] };
  const welcome = { type: 'welcome', protocol: '1.0', daemon: { version: '0.1.0', pid: 42 }, capabilities: ['events', 'tasks', 'projects'] };
  const event = { type: 'event', subscription: 1, seq: 7, at: '2026-01-01T00:00:00.000Z', name: 'task.created', data: { task } };

  it('accepts a hello and refuses broken ones', () => {
    expect(Hello.parse(hello)).toEqual(hello);
    expect(Hello.safeParse({ ...hello, type: 'welcome' }).success).toBe(false);
    expect(Hello.safeParse({ ...hello, capabilities: undefined }).success).toBe(false);
    expect(Hello.safeParse({ ...hello, protocol: '1.'.padEnd(21, '0') }).success).toBe(false);
    expect(Hello.safeParse({ ...hello, client: { name: 'x' } }).success).toBe(false);
    expect(Hello.safeParse({ ...hello, capabilities: Array.from({ length: 101 }, () => 'c') }).success).toBe(false);
  });

  it('accepts a welcome and refuses one without daemon info', () => {
    expect(Welcome.parse(welcome)).toEqual(welcome);
    expect(Welcome.safeParse({ ...welcome, daemon: { version: '0.1.0' } }).success).toBe(false);
  });

  it('accepts a request with or without params and refuses bad ids and methods', () => {
    expect(Request.parse({ type: 'request', id: 0, method: 'daemon.status' })).toEqual({ type: 'request', id: 0, method: 'daemon.status' });
    expect(Request.parse({ type: 'request', id: 1, method: 'task.get', params: { number: 1 } }).params).toEqual({ number: 1 });
    for (const id of [-1, 1.5, '1', null]) expect(Request.safeParse({ type: 'request', id, method: 'x' }).success, String(id)).toBe(false);
    expect(Request.safeParse({ type: 'request', id: 1 }).success).toBe(false);
    expect(Request.safeParse({ type: 'request', id: 1, method: 'm'.repeat(101) }).success).toBe(false);
  });

  it('accepts result and error responses, with id null for errors that answer no readable request', () => {
    expect(Response.safeParse({ type: 'response', id: 1, result: { ok: true } }).success).toBe(true);
    expect(Response.safeParse({ type: 'response', id: 1, result: null }).success).toBe(true);
    expect(Response.safeParse({ type: 'response', id: null, error: { code: 'malformed', message: 'not JSON' } }).success).toBe(true);
    expect(Response.safeParse({ type: 'response', id: 2, error: { code: 'not_found', message: 'no', data: { n: 2 } } }).success).toBe(true);
  });

  it('refuses responses with an unknown error code, no body or a bad id', () => {
    expect(Response.safeParse({ type: 'response', id: 1, error: { code: 'nope', message: 'x' } }).success).toBe(false);
    expect(Response.safeParse({ type: 'response', id: 1, error: { code: 'internal' } }).success).toBe(false);
    expect(Response.safeParse({ type: 'response', id: 1 }).success).toBe(false);
    expect(Response.safeParse({ type: 'response', result: 1 }).success).toBe(false);
    expect(Response.safeParse({ type: 'response', id: 1.5, result: 1 }).success).toBe(false);
  });

  it('accepts an event of every name with its payload', () => {
    const approval = {
      ...{ id: '7', project: 'myapp', taskNumber: 3, attempt: 1, session: 4, agent: 'claude', tool: 'Bash', detail: 'rm -rf build', options: ['allow', 'deny'] },
      ...{ via: 'hook', state: 'pending', requestedAt: '2026-01-01T00:00:02Z', answeredAt: null, answeredBy: null, reason: null },
    };
    const project = { id: 1, name: 'myapp', path: '/src/myapp', baseBranch: 'main', createdAt: '2026-01-01T00:00:00Z' };
    const samples = {
      'project.registered': { project },
      'task.created': { task },
      'task.updated': { task, changed: ['title', 'agent'] },
      'task.moved': { task: { ...task, status: 'in_progress' }, from: 'todo' },
      'task.removed': { task },
      'task.reviewed': { task, attempt: 1, comment: 'please add tests' },
      'task.merged': { task: { ...task, status: 'done' }, attempt: 2, branch: 'vibe/3-fix-2', commit: 'a'.repeat(40), mode: 'squash' },
      'inbox.posted': { message: { id: 1, project: 'myapp', to: 3, from: { task: 2, label: 'task 2' }, text: 'done with the API', at: '2026-01-01T00:00:00Z', readAt: null } },
      'inbox.read': { project: 'myapp', to: 3, ids: [1], at: '2026-01-01T00:00:01Z' },
      'approval.requested': { approval },
      'approval.answered': { approval: { ...approval, state: 'denied', answeredAt: '2026-01-01T00:00:09Z', answeredBy: 'phone', reason: 'not there' } },
      'chat.posted': { message: { id: 1, project: 'myapp', from: { label: 'phone', kind: 'control' }, text: 'how is it going?', at: '2026-01-01T00:00:00Z' } },
      'session.viewers': { session: 4, viewers: [{ id: 'v1', label: 'phone', kind: 'view', device: 'vibe-web 0.1.0', readOnly: true, typing: false }] },
      'project.updated': { project: { ...project, settings: { setup: 'npm ci', instructions: null, maxSessions: 8 } } },
      'session.updated': {
        session: {
          id: 4,
          project: 'myapp',
          taskNumber: 3,
          attempt: 2,
          agent: 'claude',
          state: 'waiting',
          exitCode: null,
          host: 'tmux',
          branch: 'vibe/3-fix-login-2',
          worktree: '/data/worktrees/1/3-2',
          pid: 4242,
          cols: 120,
          rows: 36,
          startedAt: '2026-01-01T00:00:00Z',
          endedAt: null,
          lastActivityAt: '2026-01-01T00:00:01Z',
        },
      },
    };
    expect(Object.keys(samples).sort()).toEqual([...EVENT_NAMES].sort());
    for (const [name, data] of Object.entries(samples)) {
      expect(Event.safeParse({ ...event, name, data }).success, name).toBe(true);
    }
  });

  it('refuses events with an unknown name, a payload of another event, or a zero seq', () => {
    expect(Event.parse(event)).toEqual(event);
    expect(Event.safeParse({ ...event, name: 'task.deleted' }).success).toBe(false);
    expect(Event.safeParse({ ...event, name: 'task.moved' }).success).toBe(false);
    expect(Event.safeParse({ ...event, seq: 0 }).success).toBe(false);
    expect(Event.safeParse({ ...event, subscription: 0 }).success).toBe(false);
    expect(Event.safeParse({ ...event, data: { task: { ...task, status: 'blocked' } } }).success).toBe(false);
  });

  it('tells client messages from daemon messages', () => {
    expect(ClientMessage.safeParse(hello).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'request', id: 1, method: 'x' }).success).toBe(true);
    expect(ClientMessage.safeParse(welcome).success).toBe(false);
    expect(DaemonMessage.safeParse(welcome).success).toBe(true);
    expect(DaemonMessage.safeParse(event).success).toBe(true);
    expect(DaemonMessage.safeParse({ type: 'response', id: 1, result: 1 }).success).toBe(true);
    expect(DaemonMessage.safeParse(hello).success).toBe(false);
  });

  it('checks timestamps in tasks as ISO 8601', () => {
    expect(Task.safeParse(task).success).toBe(true);
    expect(Task.safeParse({ ...task, createdAt: 'yesterday' }).success).toBe(false);
  });
});
