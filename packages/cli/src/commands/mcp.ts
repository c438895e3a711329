// `vibe mcp`: an MCP server on stdin/stdout for the agent of one task, which the daemon wires into each agent's
// configuration. It talks to the daemon over the local socket like every command, connecting on the first tool
// call and again after the daemon restarts, so an agent that starts while the daemon is away still gets its
// tools. stdout carries MCP only: anything for people goes to stderr.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ControlClient } from '@vibe/protocol';
import { connect } from '../daemon-connection.js';
import { identityFromEnv } from '../mcp/identity.js';
import { registerTools, type Request } from '../mcp/tools.js';
import { CLI_VERSION } from '../version.js';

export async function mcp(): Promise<void> {
  const identity = identityFromEnv(process.env);
  let client: Promise<ControlClient> | undefined;
  const connected = (): Promise<ControlClient> => {
    client ??= connect({ socketPath: identity.socket }).then(
      ({ client: opened }) => {
        opened.onClose(() => (client = undefined));
        return opened;
      },
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };
  const request: Request = async (method, params) => (await connected()).request(method, params);

  const server = new McpServer(
    { name: 'vibe', title: 'vibe', version: CLI_VERSION },
    {
      instructions:
        identity.task === undefined
          ? 'Tools for the tasks vibe runs in this project: list them, add a follow-up, read a diff, message a task.'
          : `You work on task ${identity.task}${identity.project ? ` of project "${identity.project}"` : ''}. Read your inbox with read_inbox; message other tasks with post_message.`,
    },
  );
  registerTools(server, { request, identity, cwd: process.cwd() });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    // The agent ends the server by closing our stdin.
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close();
  if (client) (await client.catch(() => undefined))?.close();
}
