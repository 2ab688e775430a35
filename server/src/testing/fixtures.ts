import type { Client as WsClient } from "graphql-ws";
import type { Bus } from "../platform/pubsub/bus.js";
import { ROLES, type Role } from "../access/roles.js";
import { Caller, buildProject, buildUser, type TestServer } from "./harness.js";
import { chestPng, stowOk } from "./images.js";

type ServerLike = { graphqlUrl: string; wsUrl: string };

export interface Account {
  caller: Caller;
  email: string;
  id: string;
}

/** One account per role. Sign-up hashes with argon2, so build these once per file, not per test. */
export type Team = Record<Role, Account>;

export async function buildTeam(server: ServerLike): Promise<Team> {
  const accounts = await Promise.all(ROLES.map((role) => buildUser(server, role.toLowerCase())));
  return Object.fromEntries(ROLES.map((role, i) => [role, accounts[i]!])) as Team;
}

export const GRANT_ROLE = `mutation($projectId: ID!, $input: GrantRoleInput!) { grantRole(projectId: $projectId, input: $input) { role user { id } } }`;
export const CREATE_LABEL = `mutation($projectId: ID!, $input: CreateLabelInput!) {
  createLabel(projectId: $projectId, input: $input) { id name color kind roiShape position archived projectId }
}`;

/** A new project owned by team.OWNER in which every other role is held by its account, all granted through the API. */
export async function buildTeamProject(team: Team, input: Record<string, unknown> = {}): Promise<string> {
  const owner = team.OWNER.caller;
  const projectId = await buildProject(owner, input);
  await Promise.all(
    ROLES.filter((r) => r !== "OWNER").map((role) => owner.ok(GRANT_ROLE, { projectId, input: { email: team[role].email, role } })),
  );
  return projectId;
}

/**
 * A team project where `readers` annotate too, one small PNG case per key (uploaded in order, so the
 * keys' order is the cases' age) and a classification label, Effusion: what tests of the queue read.
 */
export async function buildReadingProject(server: TestServer, team: Team, readers: readonly Account[], keys: readonly string[], input: Record<string, unknown> = {}) {
  const owner = team.OWNER.caller;
  const projectId = await buildTeamProject(team, input);
  await Promise.all(readers.map((r) => owner.ok(GRANT_ROLE, { projectId, input: { email: r.email, role: "ANNOTATOR" } })));
  for (const [i, k] of keys.entries()) await stowOk(server, projectId, owner, [{ name: `${k}.png`, bytes: chestPng(16, 12, i) }]);
  const rows: Array<{ id: string; key: string }> = await server.platform.db.dataSource.query(`SELECT id, key FROM cases WHERE project_id = $1`, [projectId]);
  const label = await buildLabel(owner, projectId, { name: "Effusion" });
  return { projectId, label, cases: Object.fromEntries(rows.map((r) => [r.key, r.id])) as Record<string, string> };
}

let labelCounter = 0;
export async function buildLabel(owner: Caller, projectId: string, input: Record<string, unknown> = {}): Promise<string> {
  const data = await owner.ok<{ createLabel: { id: string } }>(CREATE_LABEL, {
    projectId,
    input: { kind: "CLASSIFICATION", name: `Label ${++labelCounter}`, ...input },
  });
  return data.createLabel.id;
}

export interface GqlFormattedError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** The code of the only error in a result, or undefined when it has none; more than one error fails. */
export function errorCode(result: { errors?: GqlFormattedError[] | readonly GqlFormattedError[] | null | undefined }): string | undefined {
  const errors = result.errors ?? [];
  if (errors.length > 1) throw new Error(`expected at most one error, got ${JSON.stringify(errors)}`);
  return errors[0]?.extensions?.code as string | undefined;
}

const TIMEOUT = Symbol("timeout");

/**
 * A graphql-ws subscription that can be polled with a deadline without losing a value: a next()
 * that timed out stays pending and is handed to the following call, instead of swallowing the
 * event it eventually receives.
 */
export class Subscription<T = Record<string, unknown>> {
  readonly client: WsClient;
  private readonly iterator: AsyncIterator<{ data?: T | null; errors?: readonly GqlFormattedError[] }>;
  private pending: Promise<IteratorResult<{ data?: T | null; errors?: readonly GqlFormattedError[] }>> | null = null;

  constructor(caller: Caller, query: string, variables: Record<string, unknown>) {
    this.client = caller.ws();
    this.iterator = this.client.iterate({ query, variables }) as AsyncIterator<{ data?: T | null; errors?: readonly GqlFormattedError[] }>;
  }

  /** The next result (done: true when the server completed the stream), or "timeout" after `ms`. */
  async next(ms = 5000): Promise<IteratorResult<{ data?: T | null; errors?: readonly GqlFormattedError[] }> | "timeout"> {
    this.pending ??= this.iterator.next();
    const p = this.pending;
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = await Promise.race([p, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)))]);
      if (r === TIMEOUT) return "timeout";
      this.pending = null;
      return r;
    } catch (err) {
      this.pending = null;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next event's data; fails on an error, on the end of the stream or after `ms`. */
  async nextData(ms = 5000): Promise<T> {
    const r = await this.next(ms);
    if (r === "timeout") throw new Error(`no subscription event within ${ms} ms`);
    if (r.done) throw new Error("the subscription ended");
    if (r.value.errors?.length || !r.value.data) throw new Error(`subscription errors: ${JSON.stringify(r.value.errors)}`);
    return r.value.data;
  }

  async close(): Promise<void> {
    await Promise.race([this.iterator.return?.(), new Promise((r) => setTimeout(r, 500))]).catch(() => undefined);
    await this.client.dispose();
  }
}

/** Waits until `probe` returns true (a subscription registered on the server, a row written...). */
export async function until(probe: () => boolean | Promise<boolean>, ms = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Counts live bus subscriptions per channel by wrapping the bus' subscribe(). graphql-ws does not
 * acknowledge a subscription, so a test waits for the server to be listening before it makes a change.
 */
export function trackSubscriptions(bus: Bus): { count(channel: string): number; waitFor(channel: string, n?: number): Promise<void> } {
  const counts = new Map<string, number>();
  const add = (channel: string, d: number) => counts.set(channel, (counts.get(channel) ?? 0) + d);
  const original = bus.subscribe.bind(bus);
  bus.subscribe = async (channel, listener) => {
    const unsubscribe = await original(channel, listener);
    add(channel, 1);
    let once = false;
    return async () => {
      if (!once) {
        once = true;
        add(channel, -1);
      }
      await unsubscribe();
    };
  };
  const count = (channel: string) => counts.get(channel) ?? 0;
  return { count, waitFor: (channel, n = 1) => until(() => count(channel) >= n, 5000, `${n} subscription(s) on ${channel}`) };
}
