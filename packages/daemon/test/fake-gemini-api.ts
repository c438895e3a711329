// A stand-in for the Gemini API on 127.0.0.1, for driving the real Gemini CLI through a whole turn: the
// model asks to write one file (a tool call the user must approve), then, given the tool's result, says
// it is done. Gemini CLI reaches it through GOOGLE_GEMINI_BASE_URL with any GEMINI_API_KEY.
import { json, startStandIn } from './stand-in-server.js';

export interface FakeGeminiApi {
  url: string;
  /** Each request's method and path, in order. */
  requests: string[];
  /** The function responses Gemini CLI sent back, as JSON text (a denied tool's carries the reason). */
  functionResponses: string[];
  close(): Promise<void>;
}

interface Content {
  role?: string;
  parts?: Array<Record<string, unknown>>;
}

export async function startFakeGeminiApi(file: { path: string; content: string }, reply: string): Promise<FakeGeminiApi> {
  const functionResponses: string[] = [];
  const server = await startStandIn((url, body, res) => {
    if (url.includes(':streamGenerateContent')) {
      const contents = (JSON.parse(body) as { contents?: Content[] }).contents ?? [];
      const answered = JSON.stringify(contents.at(-1) ?? {}).includes('functionResponse');
      if (answered) functionResponses.push(JSON.stringify(contents.at(-1)));
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
  });
  return { url: server.origin, requests: server.requests, functionResponses, close: server.close };
}
