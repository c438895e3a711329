// Presence (@since 1.5): who watches each session — every connection attached to it — and who of them is
// typing, so the owner and teammates see one another beside the terminal.
import { z } from 'zod';

export const Viewer = z.object({
  id: z.string().describe('@since 1.5 Opaque; names one connection\'s attachment to one session while it lasts'),
  label: z.string().describe('@since 1.5 The link\'s label, or the user name of the daemon\'s machine for the local socket'),
  kind: z.enum(['local', 'control', 'view']).describe('@since 1.5 The local socket, a control link or a view-only link'),
  device: z.string().describe('@since 1.5 The hello\'s device, if it sent one, and its client name and version'),
  readOnly: z.boolean().describe('@since 1.5 Attached to watch only'),
  typing: z.boolean().describe('@since 1.5 Sent input to the session within the last 3 seconds'),
});
export type Viewer = z.infer<typeof Viewer>;

/** How long after its last keystroke a viewer still counts as typing. */
export const TYPING_MS = 3000;

export const SessionViewersParams = z.object({ session: z.number().int().positive() });
export const SessionViewersResult = z.object({
  viewers: z.array(Viewer).describe('@since 1.5 In the order they attached'),
});
