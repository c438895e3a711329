// The web view: reads the link from the fragment (which never reaches the relay), connects to the daemon it
// pins through the relay, and shows the board, task sheets, live terminals and reviews. Same protocol, same
// daemon handlers as the CLI; a view-only link gets everything to watch and nothing to change.
import { parseLink, type ParsedLink, type Task } from '@vibe/protocol';
import { updateTitle, notificationsPossible, watchAttention } from './attention.js';
import { renderBoard } from './board.js';
import { BoardState } from './board-state.js';
import { Connection, type ConnectionState } from './connection.js';
import { taskDialog } from './dialogs.js';
import { errorText, h, replace, toast } from './dom.js';
import { renderFilesPanel } from './files.js';
import { renderReview } from './review-view.js';
import { renderTaskSheet } from './task-sheet.js';
import { TerminalView } from './terminal-view.js';
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
  private shellShown = false;
  /** What the open overlay shows, so a board update that does not touch it leaves it (and its inputs) alone. */
  private shownKey = '';
  private readonly filePanels = new Map<string, HTMLElement>();

  constructor(private readonly link: ParsedLink) {
    this.connection = new Connection(link);
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
    this.connection.onLive((client) => {
      this.state.load(client).catch((error: unknown) => toast(`Could not load the board: ${errorText(error)}`, 'error'));
    });
    this.state.onChange(() => this.render());
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
    replace(app, this.header, this.identity, this.boardElement, this.overlay);
    this.render();
  }

  private render(): void {
    if (!this.shellShown) return;
    const projects = this.state.projects.map((project) => project.name);
    if (!this.project || !projects.includes(this.project)) this.project = projects[0];
    this.renderHeader();
    if (!this.state.loaded) replace(this.boardElement, h('p', { class: 'muted loading' }, 'Loading the board…'));
    else if (!this.project) replace(this.boardElement, h('p', { class: 'muted' }, 'No projects yet: run vibe up in a git repository on the daemon’s machine.'));
    else renderBoard(this.boardElement, this.state.tasksOf(this.project), (task) => this.show({ kind: 'task', project: task.project, number: task.number }));
    updateTitle(this.state, this.project);
    // An open task sheet follows its task (a state change, a move); a removed task closes it.
    if (this.view.kind === 'task') this.renderOverlay();
  }

  private renderHeader(): void {
    const state = this.connection.state;
    const readOnly = this.connection.readOnly;
    const select = h('select', { class: 'project-select', 'aria-label': 'Project' }, ...this.state.projects.map((project) => h('option', { value: project.name, selected: project.name === this.project }, project.name)));
    select.addEventListener('change', () => {
      this.project = select.value;
      this.render();
    });
    replace(
      this.header,
      h('span', { class: 'brand' }, 'vibe'),
      this.state.projects.length > 0 && select,
      connectionBadge(state, () => this.connection.retryNow()),
      readOnly && h('span', { class: 'badge badge-viewonly', title: 'This link can watch but not type or change anything' }, 'view only'),
      h('span', { class: 'spacer' }),
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
    const client = this.connection.client;
    if (!values || !client) return;
    try {
      const { task } = await client.request('task.create', { project, title: values.title, description: values.description, ...(values.agent && { agent: values.agent }) });
      if (values.start) {
        await client.request('task.start', { project, number: task.number });
        this.show({ kind: 'terminal', project, number: task.number });
      }
    } catch (error) {
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
        terminal.element,
      );
      terminal.focus();
    }
  }
}

function connectionBadge(state: ConnectionState, retry: () => void): HTMLElement {
  switch (state.kind) {
    case 'connecting':
      return h('span', { class: 'conn conn-connecting', 'data-state': 'connecting' }, 'connecting…');
    case 'live':
      return h('span', { class: 'conn conn-live', 'data-state': 'live' }, 'live');
    case 'reconnecting': {
      const badge = h('span', { class: 'conn conn-reconnecting', 'data-state': 'reconnecting', title: state.reason }, '');
      const tick = (): void => {
        if (!badge.isConnected && badge.textContent) return;
        badge.textContent = `reconnecting in ${Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000))} s`;
        if (Date.now() < state.retryAt) setTimeout(tick, 250);
      };
      tick();
      return badge;
    }
    case 'offline':
      return h('span', { class: 'conn conn-offline', 'data-state': 'offline', title: state.reason }, 'offline ', h('button', { class: 'button button-small', type: 'button', onclick: retry }, 'Retry'));
    case 'failed':
      return h('span', { class: 'conn conn-offline', 'data-state': 'failed' }, state.title);
  }
}

async function copy(text: string): Promise<void> {
  if (!text) return toast('Select text in the terminal first');
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied');
  } catch {
    // No clipboard API outside a secure context: the old way still works from a click.
    const area = h('textarea', {});
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
    toast('Copied');
  }
}

async function paste(terminal: TerminalView): Promise<void> {
  try {
    terminal.paste(await navigator.clipboard.readText());
  } catch {
    const text = window.prompt('Paste the text to type into the terminal');
    if (text) terminal.paste(text);
  }
  terminal.focus();
}

main();
