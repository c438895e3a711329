// A stand-in for the OpenAI Responses API on 127.0.0.1, for driving the real Codex CLI through a turn:
// every request streams back one assistant message, or, given a tool call, the turn's first request gets that
// call (held until the test lets it go) and the request carrying its output gets the message. Codex reaches it as
// a custom model provider (`model_providers.<name>.base_url` in its config.toml) with any key in the named
// environment variable.
import { startStandIn } from './stand-in-server.js';

export interface FakeOpenAiApi {
  url: string;
  /** Each request's method and path, in order. */
  requests: string[];
  /** The output of each tool call Codex sent back, in order. */
  toolOutputs: string[];
  close(): Promise<void>;
}

/** A function call for the model to make, e.g. Codex's `exec_command` with `{ cmd: '…' }`. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

interface InputItem {
  type?: string;
  role?: string;
  output?: unknown;
}

export async function startFakeOpenAiApi(reply: string, call?: ToolCall): Promise<FakeOpenAiApi> {
  const toolOutputs: string[] = [];
  const server = await startStandIn((url, body, res) => {
    if (!url.startsWith('/v1/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here"}}');
      return;
    }
    const request = JSON.parse(body) as { input?: InputItem[]; tools?: Array<{ name?: string }> };
    const last = request.input?.at(-1);
    if (last?.type === 'function_call_output') toolOutputs.push(typeof last.output === 'string' ? last.output : JSON.stringify(last.output));
    // Only a turn that offers the tool and ends with the user's message calls it: Codex's side requests (the
    // thread's title) offer no tools.
    const calls = call !== undefined && last?.type === 'message' && last.role === 'user' && (request.tools ?? []).some((tool) => tool.name === call.name);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (type: string, data: object): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    };
    const item = calls
      ? { type: 'function_call', id: 'fc_1', call_id: `call_${toolOutputs.length + 1}`, name: call.name, arguments: JSON.stringify(call.arguments) }
      : { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: reply, annotations: [] }] };
    event('response.created', { response: { id: 'resp_1' } });
    event('response.output_item.done', { output_index: 0, item });
    event('response.completed', { response: { id: 'resp_1', usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 3, output_tokens_details: null, total_tokens: 13 } } });
    res.end();
  });
  return { url: `${server.origin}/v1`, requests: server.requests, toolOutputs, close: server.close };
}
