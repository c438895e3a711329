// Screen text that means an agent is waiting for the user, per CLI; the sessions room matches these
// against the visible screen when a CLI has no hook for it. Taken from the CLIs' own strings
// (claude 2.1, codex 0.169, gemini 0.61); older wordings are kept where they differ.

/** Prompts any terminal program may show. */
export const GENERIC_WAITING: RegExp[] = [/\(y\/n\)/i, /\[y\/n\]/i, /press enter/i];

export const CLAUDE_WAITING: RegExp[] = [
  /Do you want to proceed\?/,
  /Do you want to make this edit/,
  /Do you want to allow this connection\?/,
  /❯\s*1\.\s*Yes/,
  /Do you trust the files in this folder\?/, // trust dialog, older releases
  /Is this a project you created or one you trust\?/, // trust dialog, 2.x
];

/** Codex's permission dialogs (its trust prompt aside): what its screen approvals answer. */
export const CODEX_PERMISSION_PROMPTS: RegExp[] = [
  /Would you like to run the following command\?/,
  /Would you like to make the following edits\?/,
  /Do you want to approve network access/,
  /Allow command\?/, // older releases
];

export const CODEX_WAITING: RegExp[] = [...CODEX_PERMISSION_PROMPTS, /Trust this folder\?/];

export const GEMINI_WAITING: RegExp[] = [
  /Apply this change\?/,
  /Allow execution/,
  /Do you trust the files in this folder\?/,
  /Waiting for user confirmation/,
];
