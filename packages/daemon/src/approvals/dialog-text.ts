// What a screen approval quotes: the bottom of the agent's screen, where its dialog is, as plain lines.
import { LIMITS } from '@vibe/protocol';

/** Lines of the screen's bottom kept: enough for a command and its options, not the whole conversation. */
const DIALOG_LINES = 16;

export function dialogText(screen: string): string {
  const lines = screen.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const kept = lines.slice(-DIALOG_LINES);
  while (kept.length > 0 && kept[0] === '') kept.shift();
  const text = kept.join('\n');
  return [...text].length <= LIMITS.approvalDetailMax ? text : [...text].slice(-LIMITS.approvalDetailMax).join('');
}
