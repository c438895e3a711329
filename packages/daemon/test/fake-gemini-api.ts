// A stand-in for the Gemini API on 127.0.0.1, for driving the real Gemini CLI through a whole turn: the
// model asks to write one file (a tool call the user must approve), then, given the tool's result, says
// it is done. Gemini CLI reaches it through GOOGLE_GEMINI_BASE_URL with any GEMINI_API_KEY.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGeminiApi {
  url: string;
  /** Each request's method and path, in order. */
  requests: string[];
  close(): Promise<void>;
}

interface Content {
  role?: string;
  parts?: Array<Record<string, unknown>>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export async function startFakeGeminiApi(file: { path: string; content: string }, reply: string): Promise<FakeGeminiApi> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    readBody(req)
      .then((body) => answer(req.url ?? '', body, res))
      .catch(() => {
        res.writeHead(400).end('{}');
      });
  });

  function answer(url: string, body: string, res: ServerResponse): void {
    if (url.includes(':streamGenerateContent')) {
      const contents = (JSON.parse(body) as { contents?: Content[] }).contents ?? [];
      const answered = JSON.stringify(contents.at(-1) ?? {}).includes('functionResponse');
      const parts = answered ? [{ text: reply }] : [{ functionCall: { name: 'write_file', args: { file_path: file.path, content: file.content } } }];
      const chunk = { candidates: [{ index: 0, content: { role: 'model', parts }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 4, totalTokenCount: 12 } };
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    } else if (url.includes(':countTokens')) {
      json(res, { totalTokens: 8 });
    } else if (url.includes(':generateContent')) {
      // Side questions (which model to route to, who speaks next): the plain answer is "the user".
      json(res, { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: '{"reasoning":"done","next_speaker":"user"}' }] }, finishReason: 'STOP' }] });
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"not here"}}');
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/** A request body, refused past 8 MiB. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
