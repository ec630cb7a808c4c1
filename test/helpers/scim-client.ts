import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import type { Engine } from '../../src/store/db.js';
import type { Workspace } from '../../src/store/workspaces.js';
import { createWorkspace, type WorkspaceInput } from '../../src/workspaces/workspaces.js';
import { createTestDeps } from './engines.js';

export const SCIM = '/api/v1/auth/scim';

export interface ScimResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

export interface TestServer {
  app: FastifyInstance;
  deps: Deps;
  workspace: Workspace;
  token: string;
  /** A request to the SCIM endpoint with the workspace's token (override headers to change it). */
  scim(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimResponse>;
  /** Another workspace with its own token. */
  addWorkspace(slug: string, input?: WorkspaceInput): Promise<{ workspace: Workspace; token: string }>;
  close(): Promise<void>;
}

const system = { type: 'system' as const, id: null };

/** Starts an in-process app (Fastify inject) on a fresh database with one workspace and token. */
export async function startTestServer(engine: Engine, overrides: Partial<Config> = {}): Promise<TestServer> {
  const { deps, close } = await createTestDeps(engine, overrides);
  const app = createApp(deps);
  await app.ready();
  const addWorkspace = async (slug: string, input: WorkspaceInput = {}) => {
    const workspace = await createWorkspace(deps, slug, input, system);
    const { secret } = await createToken(deps, workspace, { name: 'test' }, system);
    return { workspace, token: secret };
  };
  const first = await addWorkspace('acme', { domain: 'scim.acme.test' });
  const scim = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: method as 'GET',
      url: `${SCIM}${path}`,
      headers: {
        authorization: `Bearer ${first.token}`,
        ...(body !== undefined && typeof body !== 'string'
          ? { 'content-type': 'application/scim+json' }
          : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    let parsed: unknown;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
  };
  return {
    app,
    deps,
    workspace: first.workspace,
    token: first.token,
    scim,
    addWorkspace,
    close: async () => {
      await app.close();
      await close();
    },
  };
}
