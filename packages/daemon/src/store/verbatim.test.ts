// Hostile and unusual text is stored and returned byte for byte.
import { describe, expect, it } from 'vitest';
import { openStore, tempStore } from './temp-store.js';

const HOSTILE: Record<string, string> = {
  nul: 'before\u0000after\u0000',
  'command substitution': '$(rm -rf ~) and ${HOME} and `reboot`',
  'quotes and SQL': `'; DROP TABLE tasks; -- "quoted" \\ backslash`,
  'OSC 52 clipboard write': '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  'cursor moves and screen clear': '\u001b[2J\u001b[H\u001b[10;10Hgotcha\u001b[1A\r\u001b[K',
  'C1 control and DEL': '\u009b31m\u007f',
  emoji: '👩‍💻 🏳️‍🌈 👍🏽',
  'right-to-left and overrides': 'مرحبا \u202egnp.exe\u202c עברית',
  'combining marks': 'e\u0301 a\u030a Z\u0351\u0352\u0353',
  'line endings': 'one\r\ntwo\rthree\nfour\u2028five',
  'JSON-looking': '{"name":"task.removed","data":null}',
  'BOM and zero-width': '\ufeff\u200b\u200d',
};

const bytes = (text: string) => Buffer.from(text, 'utf8').toString('hex');

describe('text is stored verbatim', () => {
  it.each(Object.entries(HOSTILE))('%s round-trips byte for byte through tasks, events and a reopen', (_, text) => {
    const { store, path } = tempStore();
    const { project } = store.registerProject({ path: `/src/${text.replace(/\//g, '')}`, baseBranch: 'main' });
    const created = store.createTask(project.id, { title: text, description: `${text}\n${text}` });
    expect(bytes(created.task.title)).toBe(bytes(text));
    const updated = store.updateTask(project.id, 1, { title: `${text}!` });
    expect(updated.event?.data.task.title).toBe(`${text}!`);
    store.close();

    const again = openStore({ path });
    const task = again.getTask(project.id, 1);
    expect(bytes(task.title)).toBe(bytes(`${text}!`));
    expect(bytes(task.description)).toBe(bytes(`${text}\n${text}`));
    expect(again.listTasks()[0]?.title).toBe(`${text}!`);
    const [registered, createdEvent] = again.eventsSince(0);
    expect(registered).toEqual({ seq: 1, at: project.createdAt, name: 'project.registered', data: { project } });
    expect(createdEvent?.name === 'task.created' && bytes(createdEvent.data.task.title)).toBe(bytes(text));
    expect(again.getProjectByName(project.name)?.path).toBe(project.path);
  });

  it('refuses a title with a lone surrogate, since SQLite would store it as U+FFFD', () => {
    const { store } = tempStore();
    const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    expect(() => store.createTask(project.id, { title: 'half \ud83d of an emoji' })).toThrow(
      expect.objectContaining({ code: 'invalid_params', message: 'title contains a lone UTF-16 surrogate (not valid Unicode)' }),
    );
    store.createTask(project.id, { title: 'fine' });
    expect(() => store.updateTask(project.id, 1, { description: '\udc00' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(store.lastEventSeq()).toBe(2);
  });
});
