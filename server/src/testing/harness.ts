import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { Client as PgClient } from "pg";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { inject } from "vitest";
import { loadConfig, type Config } from "../config.js";
import { createLogger } from "../logger.js";
import { startServer, type RunningServer } from "../main.js";

/** A fresh database on the test PostgreSQL (embedded or DATABASE_URL), dropped by the returned function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject("pgAdminUrl");
  const name = `concord_test_${randomBytes(6).toString("hex")}`;
  const client = new PgClient({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new PgClient({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  const redisUrl = inject("redisUrl");
  return loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    CONCORD_MIGRATE_ON_START: "true",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...env,
  });
}

export interface TestServer extends RunningServer {
  graphqlUrl: string;
  wsUrl: string;
}

/** A real server on a random port with its own database (and its own Redis namespace when Redis is used). */
export async function startTestServer(
  opts: { databaseUrl?: string; env?: Record<string, string>; redisPrefix?: string; clientDir?: string } = {},
): Promise<TestServer & { dropDatabase(): Promise<void> }> {
  const db = opts.databaseUrl ? null : await createTestDatabase();
  const config = testConfig(opts.databaseUrl ?? db!.url, opts.env);
  const server = await startServer(config, {
    clientDir: opts.clientDir ?? null,
    log: createLogger(config.logLevel),
    redisPrefix: opts.redisPrefix ?? `concord-test-${randomBytes(4).toString("hex")}`,
  });
  return {
    ...server,
    graphqlUrl: `${server.url}/graphql`,
    wsUrl: `${server.url.replace(/^http/, "ws")}/graphql`,
    dropDatabase: async () => {
      await db?.drop();
    },
  };
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  cookie?: string;
}

/** A GraphQL client with the credentials a browser (cookie) or a tool (bearer token) would send. */
export class Caller {
  constructor(
    readonly server: { graphqlUrl: string; wsUrl: string },
    public cookie?: string,
    public token?: string,
  ) {}

  async gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.server.graphqlUrl, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const setCookie = res.headers.get("set-cookie") ?? undefined;
    if (setCookie) {
      const pair = setCookie.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? undefined : pair;
    }
    const body = (await res.json()) as GqlResult<T>;
    return { ...body, status: res.status, ...(setCookie ? { cookie: setCookie } : {}) };
  }

  /** Like gql, but fails the test on any GraphQL error. */
  async ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await this.gql<T>(query, variables);
    if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** A graphql-ws client sending this caller's cookie (as a browser would) and/or bearer token. */
  ws(extraHeaders: Record<string, string> = {}): WsClient {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    const token = this.token;
    class AuthedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    return createWsClient({
      url: this.server.wsUrl,
      webSocketImpl: AuthedWebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    });
  }
}

let counter = 0;
export const uniqueEmail = (tag = "user") => `${tag}-${Date.now().toString(36)}-${++counter}-${randomBytes(3).toString("hex")}@example.org`;
export const PASSWORD = "a long test passphrase 42";

/** Signs up a new account through the API and returns a Caller holding its session cookie. */
export async function buildUser(server: { graphqlUrl: string; wsUrl: string }, tag = "user") {
  const caller = new Caller(server);
  const email = uniqueEmail(tag);
  const data = await caller.ok<{ signUp: { id: string } }>(
    `mutation($input: SignUpInput!) { signUp(input: $input) { id } }`,
    { input: { email, password: PASSWORD, name: `Test ${tag}` } },
  );
  return { caller, email, id: data.signUp.id };
}

export async function buildProject(owner: Caller, input: Record<string, unknown> = {}) {
  const data = await owner.ok<{ createProject: { id: string } }>(
    `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
    { input: { name: `Project ${++counter}`, ...input } },
  );
  return data.createProject.id;
}

/** Waits for the next value of a subscription, or fails after `ms`. */
export function nextValue<T>(iterator: AsyncIterator<T>, ms = 5000): Promise<T> {
  return Promise.race([
    iterator.next().then((r) => {
      if (r.done) throw new Error("subscription ended");
      return r.value;
    }),
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no subscription event within ${ms} ms`)), ms)),
  ]);
}
