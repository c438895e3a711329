// `vibe completion bash|zsh|fish`: prints a completion script generated from the command tree.
import type { Command } from 'commander';
import { TASK_STATUSES } from '@vibe/protocol';
import { bashCompletion } from '../completion/bash.js';
import { fishCompletion } from '../completion/fish.js';
import { completionModel } from '../completion/model.js';
import { zshCompletion } from '../completion/zsh.js';
import { UsageError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Values commander does not know: statuses for `--status` and `task mv ID <status>`. */
const HINTS = { status: TASK_STATUSES };

export function completionScript(program: Command, shell: string): string {
  const model = completionModel(program, HINTS);
  switch (shell) {
    case 'bash':
      return bashCompletion(model);
    case 'zsh':
      return zshCompletion(model);
    case 'fish':
      return fishCompletion(model);
    default:
      throw new UsageError(`unknown shell ${JSON.stringify(shell)}: use one of ${SHELLS.join(', ')}`);
  }
}

export function completion(program: Command, shell: string): void {
  process.stdout.write(completionScript(program, shell));
}
