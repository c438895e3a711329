// A stand-in for the OpenAI Responses API on 127.0.0.1, for driving the real Codex CLI through a turn:
// every request streams back one assistant message. Codex reaches it as a custom model provider
// (`model_providers.<name>.base_url` in its config.toml) with any key in the named environment variable.
import { startStandIn } from './stand-in-server.js';

export interface FakeOpenAiApi {
  url: string;
  /** Each request's method and path, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeOpenAiApi(reply: string): Promise<FakeOpenAiApi> {
  const server = await startStandIn((url, _body, res) => {
    if (!url.startsWith('/v1/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (type: string, data: object): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    };
    const item = { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: reply, annotations: [] }] };
    event('response.created', { response: { id: 'resp_1' } });
    event('response.output_item.done', { output_index: 0, item });
    event('response.completed', { response: { id: 'resp_1', usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 3, output_tokens_details: null, total_tokens: 13 } } });
    res.end();
  });
  return { url: `${server.origin}/v1`, requests: server.requests, close: server.close };
}
