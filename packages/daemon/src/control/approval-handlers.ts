// Serves the approval methods: the list, an answer from the CLI, the board or a link, and the agent hook's
// request, held open until the approval is answered or cancelled.
import type { Approval, ApprovalDecision, MethodName, MethodParams, MethodResult } from '@vibe/protocol';
import type { Store } from '../store/index.js';
import type { PeerIdentity } from './transport.js';

/** The approvals room, as the control room uses it. */
export interface ApprovalControl {
  /** Resolves once the approval is settled; `connection` is who waits, so its closing can cancel it. */
  request(params: MethodParams<'approval.request'>, connection: object): Promise<Approval>;
  answer(id: string, decision: ApprovalDecision, reason: string | undefined, answeredBy: string): Approval;
  list(filter: { projectId?: number; pending?: boolean }): Approval[];
  connectionClosed(connection: object): void;
}

type Context = { sink: object; peer: PeerIdentity };
type Handler<M extends MethodName> = (params: MethodParams<M>, context: Context) => MethodResult<M> | Promise<MethodResult<M>>;
type ApprovalMethod = 'approval.list' | 'approval.answer' | 'approval.request';

export function createApprovalHandlers({ store, approvals }: { store: Store; approvals: ApprovalControl }): { [M in ApprovalMethod]: Handler<M> } {
  return {
    'approval.list': (params) => {
      const projectId = params.allProjects || (!params.project && !params.cwd) ? undefined : store.resolveProject(params).id;
      return { approvals: approvals.list({ projectId, pending: params.pending }) };
    },
    // Who answered is named as in chat: the link's label, or the user name of the daemon's machine.
    'approval.answer': (params, { peer }) => ({ approval: approvals.answer(params.id, params.decision, params.reason, peer.label) }),
    'approval.request': async (params, { sink }) => ({ approval: await approvals.request(params, sink) }),
  };
}
