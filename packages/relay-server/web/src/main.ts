// The web view: reads the link from the fragment (which never reaches the relay), connects to the daemon it
// pins through the relay, and shows the board, task sheets, live terminals and reviews. Same protocol, same
// daemon handlers as the CLI; a view-only link gets everything to watch and nothing to change.
import { parseLink, type Approval, type ParsedLink, type Task } from '@vibe/protocol';
import { answerLabel, renderApprovals } from './approvals.js';
import { updateTitle, notificationsPossible, watchAttention } from './attention.js';
import { ChatPanel } from './chat.js';
import { renderBoard } from './board.js';
import { BoardState } from './board-state.js';
import { Connection, type ConnectionState } from './connection.js';
import { taskDialog } from './dialogs.js';
import { errorText, h, replace, toast } from './dom.js';
import { OfflineQueue, randomId, type QueuedMethod } from './offline-queue.js';
import { queueKey } from './queue-storage.js';
import { renderQueue } from './queue-tray.js';
import { renderViewers } from './presence.js';
import { renderFilesPanel } from './files.js';
import { renderReview } from './review-view.js';
import { renderTaskSheet } from './task-sheet.js';
import { TerminalView } from './terminal-view.js';
import { connectionBadge, copy, paste } from './shell-parts.js';
import './style.css';

type View = { kind: 'board' } | { kind: 'task' | 'terminal' | 'review'; project: string; number: number };

/** How deep a view is: Back goes one level up. */
const DEPTH: Record<View['kind'], number> = { board: 0, task: 1, terminal: 2, review: 2 };

const app = document.getElementById('app')!;

function main(): void {
  if (!location.hash || location.hash === '#') return landing();
  // A link may name a task to open after it: #v1.DAEMON.LINK.SECRET/PROJECT/NUMBER (base64url has no '/').
  const [linkPart, project, number] = location.hash.split('/');
  let link: ParsedLink;
  try {
    link = parseLink(`${location.origin}${location.pathname}${linkPart}`);
  } catch (error) {
    return fullPage('This is not a complete vibe link', `${errorText(error)}.`);
  }
  const open = project && Number(number) > 0 ? { project: decodeURIComponent(project), number: Number(number) } : undefined;
  new App(link).start(open);
}

function landing(): void {
  replace(
    app,
    h(
      'main',
      { class: 'page' },
      h('h1', {}, 'vibe relay'),
      h('p', {}, 'This relay forwards end-to-end encrypted traffic between vibe daemons and their clients; it cannot read it. To reach a daemon, open the link that vibe connect printed on its machine (or scan its QR code) — or run vibe --link LINK task ls from another computer.'),
    ),
  );
}

function fullPage(title: string, text: string, retry?: () => void): void {
  replace(app, h('main', { class: 'page page-error', role: 'alert' }, h('h1', {}, title), h('p', {}, text), retry && h('button', { class: 'button button-primary', type: 'button', onclick: retry }, 'Try again')));
}

class App {
  private readonly connection: Connection;
  private readonly state = new BoardState();
  private project: string | undefined;
  private view: View = { kind: 'board' };
  private terminal: TerminalView | undefined;
  private readonly header = h('header', { class: 'topbar' });
  private readonly boardElement = h('main', { class: 'board', 'aria-label': 'Board' });
  private readonly overlay = h('div', { class: 'overlay', hidden: true });
  private readonly identity = h('div', { class: 'identity' });
  private readonly approvalsBar = h('div', { class: 'approvals-bar' });
  private readonly terminalExtras = h('div', { class: 'terminal-extras' });
  private readonly tray = h('div', { class: 'queue-tray' });
  private readonly queue: OfflineQueue;
  private readonly chat: ChatPanel;
  private shellShown = false;
  /** What the open overlay shows, so a board update that does not touch it leaves it (and its inputs) alone. */
  private shownKey = '';
  private readonly filePanels = new Map<string, HTMLElement>();

  constructor(private readonly link: ParsedLink) {
    this.connection = new Connection(link);
    const key = queueKey(link.daemonId, link.linkId);
    this.queue = new OfflineQueue(storage(), key, { exclusive: exclusive(key) });
    // Another tab on the same link queued, applied or dismissed something: the tray shows it here too.
    window.addEventListener('storage', (event) => {
      if (event.key === key) this.queue.refresh();
    });
    this.chat = new ChatPanel({
      client: () => this.connection.client,
      post: (project, text) => this.act('chat.post', { project, text }, `Chat: ${text.slice(0, 40)}`),
      pending: () => this.queue.list,
      close: () => this.toggleChat(false),
    });
  }

  /**
   * Does `method` through the offline queue: applied at once when live, else when the connection is back —
   * once either way (the queue's id is the client id the daemon deduplicates by).
   */
  private act(method: QueuedMethod, params: Record<string, unknown>, label: string, id = randomId()): void {
    this.queue.add(method, params, label, id);
    if (this.connection.state.kind !== 'live') toast('Offline: queued, and sent once the connection is back');
    this.flushQueue();
  }

  private flushQueue(): void {
    const client = this.connection.client;
    if (client && this.connection.state.kind === 'live') void this.queue.apply(client, () => this.connection.client === client && this.connection.state.kind === 'live');
  }

  private answer(approval: Approval, decision: 'allow' | 'deny', reason?: string): void {
    this.act('approval.answer', { id: approval.id, decision, ...(reason && { reason }) }, answerLabel(approval, decision));
  }

  private toggleChat(open = !this.chat.open): void {
    this.chat.open = open;
    if (open) this.chat.unread = 0;
    document.body.classList.toggle('chat-open', open);
    this.renderHeader();
  }

  /** `open`: a task whose terminal to show once the board has loaded (a deep link). */
  start(open?: { project: string; number: number }): void {
    if (open) {
      const off = this.state.onChange(() => {
        if (!this.state.loaded) return;
        off();
        if (this.state.task(open.project, open.number)) {
          this.project = open.project;
          this.show({ kind: 'terminal', ...open });
        }
      });
    }
    this.connection.onState((state) => this.stateChanged(state));
    this.connection.onLive((client, welcome) => {
      if (welcome.label !== undefined) this.queue.knowSelf(welcome.label);
      this.state.load(client).then(
        () => {
          void this.chat.load(this.project);
          this.flushQueue();
        },
        (error: unknown) => toast(`Could not load the board: ${errorText(error)}`, 'error'),
      );
    });
    this.state.onChange(() => this.render());
    this.state.onChat((message) => {
      this.chat.received(message);
      this.renderHeader();
    });
    this.queue.onChange(() => {
      replace(this.tray, renderQueue(this.queue, (id) => this.queue.dismiss(id)));
      this.chat.render();
    });
    replace(this.tray, renderQueue(this.queue, (id) => this.queue.dismiss(id)));
    this.state.onSession((session) => this.terminal?.sessionChanged(session));
    watchAttention(this.state, (project, number) => this.show({ kind: 'terminal', project, number }));
    window.addEventListener('popstate', (event) => this.show((event.state as View | null) ?? { kind: 'board' }, false));
    history.replaceState({ kind: 'board' } satisfies View, '');
    this.connection.start();
  }

  private stateChanged(state: ConnectionState): void {
    if (state.kind === 'failed') {
      this.terminal?.dispose();
      this.terminal = undefined;
      this.shellShown = false;
      return fullPage(state.title, state.text, state.canRetry ? () => this.connection.retryNow() : undefined);
    }
    if (!this.shellShown) this.showShell();
    this.renderHeader();
  }

  private showShell(): void {
    this.shellShown = true;
    replace(app, this.header, this.identity, this.approvalsBar, h('div', { class: 'workspace' }, this.boardElement, this.chat.element), this.overlay, this.tray);
    this.render();
  }

  private render(): void {
    if (!this.shellShown) return;
    const projects = this.state.projects.map((project) => project.name);
    if (!this.project || !projects.includes(this.project)) this.project = projects[0];
    this.renderHeader();
    if (!this.state.loaded) replace(this.boardElement, h('p', { class: 'muted loading' }, 'Loading the board…'));
    else if (!this.project) replace(this.boardElement, h('p', { class: 'muted' }, 'No projects yet: run vibe up in a git repository on the daemon’s machine.'));
    else renderBoard(this.boardElement, this.state.tasksOf(this.project), (task) => this.show({ kind: 'task', project: task.project, number: task.number }), {
      approvals: new Set(this.state.pendingApprovals({ project: this.project }).map((approval) => approval.taskNumber)),
      watching: (task) => (task.session ? (this.state.viewers.get(task.session.id) ?? []).length : 0),
    });
    replace(
      this.approvalsBar,
      this.project && renderApprovals(this.state.pendingApprovals({ project: this.project }), { readOnly: this.connection.readOnly, answer: (approval, decision, reason) => this.answer(approval, decision, reason), open: (approval) => this.show({ kind: 'terminal', project: approval.project, number: approval.taskNumber }) }),
    );
    this.renderTerminalExtras();
    updateTitle(this.state, this.project);
    // An open task sheet follows its task (a state change, a move); a removed task closes it.
    if (this.view.kind === 'task') this.renderOverlay();
  }

  /** Above an open terminal: who else watches it, and what its agent waits to be allowed to do. */
  private renderTerminalExtras(): void {
    const session = this.terminal?.session;
    if (session === undefined) return replace(this.terminalExtras);
    replace(
      this.terminalExtras,
      renderViewers(this.state.viewers.get(session) ?? []),
      renderApprovals(this.state.pendingApprovals({ session }), { readOnly: this.connection.readOnly, compact: true, answer: (approval, decision, reason) => this.answer(approval, decision, reason) }),
    );
  }

  private renderHeader(): void {
    const state = this.connection.state;
    const readOnly = this.connection.readOnly;
    const select = h('select', { class: 'project-select', 'aria-label': 'Project' }, ...this.state.projects.map((project) => h('option', { value: project.name, selected: project.name === this.project }, project.name)));
    select.addEventListener('change', () => {
      this.project = select.value;
      this.render();
      void this.chat.load(this.project);
    });
    replace(
      this.header,
      h('span', { class: 'brand' }, 'vibe'),
      this.state.projects.length > 0 && select,
      connectionBadge(state, () => this.connection.retryNow()),
      readOnly && h('span', { class: 'badge badge-viewonly', title: 'This link can watch but not type or change anything' }, 'view only'),
      h('span', { class: 'spacer' }),
      this.project && h('button', { class: 'button button-small', type: 'button', 'data-action': 'chat', 'aria-pressed': String(this.chat.open), onclick: () => this.toggleChat() }, 'Chat', this.chat.unread > 0 && h('span', { class: 'count' }, this.chat.unread)),
      !readOnly && this.project && h('button', { class: 'button button-primary add', type: 'button', 'aria-label': 'New task', 'data-action': 'new-task', onclick: () => void this.createTask() }, '+'),
    );
    const welcome = state.kind === 'live' ? state.welcome : undefined;
    replace(
      this.identity,
      h('span', {}, `daemon ${this.link.daemonId}`),
      welcome && h('span', { class: 'verified', title: 'The daemon proved it holds the key this link pins' }, 'key verified'),
      welcome && h('span', { class: 'identity-extra' }, `vibe ${welcome.daemon.version}`),
      h('span', { class: 'identity-extra' }, `via ${new URL(this.link.relayUrl).host}`),
      notificationsPossible() && Notification.permission === 'default' && h('button', { class: 'link-button', type: 'button', onclick: () => void Notification.requestPermission().then(() => this.renderHeader()) }, 'Notify me'),
    );
  }

  private async createTask(): Promise<void> {
    const project = this.project;
    if (!project) return;
    const values = await taskDialog({ agents: this.state.agents, defaultAgent: this.state.defaultAgent, project });
    if (!values) return;
    const params = { project, title: values.title, description: values.description, ...(values.agent && { agent: values.agent }) };
    const clientId = randomId();
    const client = this.connection.client;
    // Offline, or the connection drops under the request: queued, created once when it is back (not started).
    const queue = (): void => this.act('task.create', params, `New task “${values.title}”${values.start ? ' (start it once created)' : ''}`, clientId);
    if (!client || this.connection.state.kind !== 'live') return queue();
    try {
      const { task } = await client.request('task.create', { ...params, clientId });
      if (values.start) {
        await client.request('task.start', { project, number: task.number });
        this.show({ kind: 'terminal', project, number: task.number });
      }
    } catch (error) {
      if (typeof (error as { code?: unknown }).code !== 'string') return queue();
      toast(`Could not create the task: ${errorText(error)}`, 'error');
    }
  }

  private show(view: View, push = true): void {
    if (push && JSON.stringify(view) !== JSON.stringify(this.view)) {
      // Back (the phone's button too) steps up one level: from a terminal or review to its task, from a task
      // to the board. Going deeper adds a history entry; going sideways replaces it.
      if (DEPTH[view.kind] > DEPTH[this.view.kind]) {
        // From the board straight to a terminal (a deep link, a notification): the task's entry goes between.
        if (view.kind !== 'task' && view.kind !== 'board' && this.view.kind === 'board') history.pushState({ kind: 'task', project: view.project, number: view.number } satisfies View, '');
        history.pushState(view, '');
      } else history.replaceState(view, '');
    }
    this.view = view;
    this.renderOverlay();
  }

  /** Every view above the board has an entry of its own below it, so Back is the browser's back. */
  private back(): void {
    if (this.view.kind !== 'board') history.back();
  }

  private filesPanel(task: Task, readOnly: boolean): HTMLElement {
    const key = BoardState.key(task.project, task.number);
    let panel = this.filePanels.get(key);
    if (!panel) {
      panel = renderFilesPanel(() => this.connection.client, { project: task.project, number: task.number }, readOnly);
      this.filePanels.set(key, panel);
    }
    return panel;
  }

  private renderOverlay(): void {
    const view = this.view;
    if (view.kind !== 'terminal') {
      this.terminal?.dispose();
      this.terminal = undefined;
    }
    if (view.kind === 'board') {
      this.shownKey = '';
      this.overlay.hidden = true;
      replace(this.overlay);
      return;
    }
    const task = this.state.task(view.project, view.number);
    if (!task) {
      if (this.state.loaded) this.show({ kind: 'board' }, false);
      return;
    }
    const key = JSON.stringify([view, task, this.connection.readOnly]);
    if (key === this.shownKey && !this.overlay.hidden) return;
    this.shownKey = key;
    this.overlay.hidden = false;
    this.overlay.className = `overlay overlay-${view.kind}`;
    const client = (): ReturnType<() => Connection['client']> => this.connection.client;
    const readOnly = this.connection.readOnly;
    const top = (title: string, ...extra: Array<HTMLElement | false | undefined>): HTMLElement =>
      h('div', { class: 'overlay-top' }, h('button', { class: 'button back', type: 'button', 'aria-label': 'Back', onclick: () => this.back() }, '←'), h('span', { class: 'overlay-title' }, title), ...extra);
    if (view.kind === 'task') {
      replace(
        this.overlay,
        top(`#${task.number}`),
        renderTaskSheet({
          task,
          state: this.state,
          client,
          readOnly,
          files: this.filesPanel(task, readOnly),
          openTerminal: () => this.show({ kind: 'terminal', project: task.project, number: task.number }),
          openReview: () => this.show({ kind: 'review', project: task.project, number: task.number }),
          close: () => this.back(),
        }),
      );
    } else if (view.kind === 'review') {
      replace(this.overlay, top(`Review #${task.number} ${task.title}`), renderReview({ client, task, readOnly }));
    } else if (task.session) {
      // Started again while open: the new attempt's session replaces the old one's terminal.
      if (this.terminal?.session === task.session.id) return;
      this.terminal?.dispose();
      this.terminal = new TerminalView({ connection: this.connection, session: task.session.id, readOnly });
      const terminal = this.terminal;
      replace(
        this.overlay,
        top(
          `#${task.number} ${task.title}`,
          h('button', { class: 'button button-small', type: 'button', onclick: () => void copy(terminal.selection) }, 'Copy'),
          !readOnly && h('button', { class: 'button button-small', type: 'button', onclick: () => void paste(terminal) }, 'Paste'),
        ),
        this.terminalExtras,
        terminal.element,
      );
      this.renderTerminalExtras();
      terminal.focus();
    }
  }
}

/** The page's storage for the offline queue; none where the browser refuses it (some private windows). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** One tab at a time applies a link's queue, where the browser can say so (Web Locks); else the ids dedupe. */
function exclusive(key: string): ((run: () => Promise<void>) => Promise<void>) | undefined {
  const locks = (navigator as Partial<Navigator>).locks;
  return locks && ((run) => locks.request(key, run));
}

main();
