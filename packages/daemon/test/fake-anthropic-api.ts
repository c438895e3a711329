// A stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code through a whole
// turn: given its tools, the model asks to Write one file (a tool call the user must approve), then, given
// the tool's result, says it is done. Side requests (titles, quota checks) get a short text answer.
// Claude Code reaches it through ANTHROPIC_BASE_URL with an ANTHROPIC_API_KEY the user has approved.
import type { ServerResponse } from 'node:http';
import { json, startStandIn } from './stand-in-server.js';

export interface FakeAnthropicApi {
  url: string;
  /** The file the model writes: set it once the worktree is known, before the prompt reaches the model. */
  file: { path: string; content: string } | undefined;
  /** Each request's method and path, in order. */
  requests: string[];
  /** The tool results Claude Code sent back, as JSON text (a denied tool's carries the reason). */
  toolResults: string[];
  close(): Promise<void>;
}

interface MessagesRequest {
  model?: string;
  stream?: boolean;
  tools?: Array<{ name?: string }>;
  messages?: unknown[];
}

export async function startFakeAnthropicApi(reply: string): Promise<FakeAnthropicApi> {
  const api: FakeAnthropicApi = { url: '', file: undefined, requests: [], toolResults: [], close: () => Promise.resolve() };

  function answer(url: string, body: string, res: ServerResponse): void {
    if (!url.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"not_found_error","message":"not here"}}');
      return;
    }
    if (url.startsWith('/v1/messages/count_tokens')) {
      json(res, { input_tokens: 10 });
      return;
    }
    const request = JSON.parse(body) as MessagesRequest;
    const answered = JSON.stringify(request.messages?.at(-1) ?? {}).includes('tool_result');
    if (answered && request.stream) api.toolResults.push(JSON.stringify(request.messages?.at(-1)));
    const canWrite = request.tools?.some((tool) => tool.name === 'Write') === true;
    const write = canWrite && !answered && api.file !== undefined;
    if (!request.stream) {
      json(res, { id: 'msg_side', type: 'message', role: 'assistant', model: request.model, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } });
      return;
    }
    const [start, delta] = write
      ? [{ type: 'tool_use', id: 'toolu_01', name: 'Write', input: {} }, { type: 'input_json_delta', partial_json: JSON.stringify({ file_path: api.file!.path, content: api.file!.content }) }]
      : [{ type: 'text', text: '' }, { type: 'text_delta', text: canWrite ? reply : 'ok' }];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (type: string, data: object): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    };
    event('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } });
    event('content_block_start', { index: 0, content_block: start });
    event('content_block_delta', { index: 0, delta });
    event('content_block_stop', { index: 0 });
    event('message_delta', { delta: { stop_reason: write ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } });
    event('message_stop', {});
    res.end();
  }

  const server = await startStandIn(answer);
  Object.assign(api, { url: server.origin, requests: server.requests, close: server.close });
  return api;
}
