// A stand-in for the OpenAI Responses API on 127.0.0.1, for driving the real Codex CLI through a turn:
// every request streams back one assistant message. Codex reaches it as a custom model provider
// (`model_providers.<name>.base_url` in its config.toml) with any key in the named environment variable.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './fake-gemini-api.js';

export interface FakeOpenAiApi {
  url: string;
  /** Each request's method and path, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeOpenAiApi(reply: string): Promise<FakeOpenAiApi> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    readBody(req)
      .then(() => answer(req.url ?? '', res))
      .catch(() => {
        res.writeHead(400).end('{}');
      });
  });

  function answer(url: string, res: ServerResponse): void {
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
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
