import { Writable } from "node:stream";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { Caller, buildUser, createTestDatabase, startTestServer } from "../testing/harness.js";
import { createFormatError } from "./format-error.js";

const INTROSPECT = `{ __schema { queryType { name } } }`;

describe("GraphQL hardening", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prod: Awaited<ReturnType<typeof startTestServer>>;
  let dev: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const limits = { GRAPHQL_MAX_DEPTH: "2", GRAPHQL_MAX_ALIASES: "5", GRAPHQL_MAX_COMPLEXITY: "40", GRAPHQL_MAX_TOKENS: "400" };
    prod = await startTestServer({ databaseUrl: db.url, env: { NODE_ENV: "production", ...limits } });
    dev = await startTestServer({ databaseUrl: db.url, env: { CONCORD_MIGRATE_ON_START: "false" } });
  });
  afterAll(async () => {
    await prod?.close();
    await dev?.close();
    await db?.drop();
  });

  it("turns introspection off in production and leaves it on in development", async () => {
    const off = await new Caller(prod).gql(INTROSPECT);
    expect(off.errors?.[0]?.message).toMatch(/introspection/i);
    const on = await new Caller(dev).gql<{ __schema: { queryType: { name: string } } }>(INTROSPECT);
    expect(on.data?.__schema.queryType.name).toBe("Query");
  });

  it("rejects operations nested deeper than the limit, also through fragments", async () => {
    const { caller } = await buildUser(prod);
    expect((await caller.gql(`{ me { id } myProjects { id } }`)).errors).toBeUndefined();
    const direct = await caller.gql(`{ myProjects { labels { id } } }`);
    expect(direct.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
    const viaFragment = await caller.gql(`fragment F on Project { labels { id } } { myProjects { ...F } }`);
    expect(viaFragment.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_DEEP");
    // Introspection's own fields do not count, so tools can still ask for __typename.
    expect((await caller.gql(`{ __typename me { __typename id } }`)).errors).toBeUndefined();
  });

  it("refuses more aliases than the limit", async () => {
    const q = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(" ")} }`;
    const r = await new Caller(prod).gql(q);
    expect(r.errors?.[0]?.extensions?.code).toBe("TOO_MANY_ALIASES");
    const fine = await new Caller(prod).gql(`{ ${Array.from({ length: 5 }, (_, i) => `a${i}: me { id }`).join(" ")} }`);
    expect(fine.errors).toBeUndefined();
  });

  it("refuses operations above the complexity limit", async () => {
    const fields = `id name description mode blindReading readersPerCase archived createdAt updatedAt myRole myPermissions`;
    const q = `{ a: myProjects { ${fields} } b: myProjects { ${fields} } c: myProjects { ${fields} } d: myProjects { ${fields} } }`;
    const r = await new Caller(prod).gql(q);
    expect(r.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("answers variables that do not fit their types as the client's mistake, saying which, over HTTP and graphql-ws", async () => {
    const { caller } = await buildUser(dev);
    const cases = `query($projectId: ID!, $first: Int!) { cases(projectId: $projectId, first: $first) { edges { cursor } } }`;
    const skip = `mutation($caseId: ID!, $reason: SkipReason!) { skipCase(caseId: $caseId, reason: $reason) { caseId } }`;
    const wrong = [
      [cases, { projectId: "p", first: "ten" }, /\$first/],
      [cases, { first: 1 }, /\$projectId/],
      [skip, { caseId: "c", reason: "BORED" }, /\$reason.*BORED/],
    ] as const;
    for (const [query, variables, says] of wrong) {
      const r = await caller.gql(query, variables);
      expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message).toMatch(says);
      expect(r.status).toBe(400);
    }
    const client = caller.ws();
    try {
      await expect(client.iterate({ query: `subscription($projectId: ID!) { annotationEvents(projectId: $projectId) { kind } }`, variables: { projectId: 7.5 } }).next()).rejects.toSatisfy(
        (errs: unknown) => JSON.stringify(errs).includes("BAD_USER_INPUT") && JSON.stringify(errs).includes("$projectId"),
      );
    } finally {
      await client.dispose();
    }
  });

  it("caps the size of a document in tokens", async () => {
    const q = `{ me { ${Array.from({ length: 500 }, () => "id").join(" ")} } }`;
    const r = await new Caller(prod).gql(q);
    expect(r.errors?.[0]?.message).toMatch(/token/i);
  });

  it("does not accept batched HTTP operations", async () => {
    const res = await fetch(prod.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ me { id } }" }, { query: "{ me { id } }" }]),
    });
    expect(res.status).toBe(400);
  });

  it("prevents CSRF: simple cross-site requests are refused before any resolver runs", async () => {
    const form = await fetch(`${prod.graphqlUrl}?query=${encodeURIComponent("{ me { id } }")}`, { method: "GET" });
    expect(form.status).toBe(400);
    const text = await fetch(prod.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "mutation { logOut }" }),
    });
    expect(text.status).toBeGreaterThanOrEqual(400);
  });

  it("refuses WebSocket handshakes from other origins", async () => {
    const { caller } = await buildUser(prod);
    const evil = caller.ws({ origin: "http://evil.example" });
    await expect(evil.iterate({ query: "{ me { id } }" }).next()).rejects.toBeTruthy();
    await evil.dispose();
  });

  it("applies the same limits on graphql-ws", async () => {
    const { caller } = await buildUser(prod);
    const client = caller.ws();
    try {
      const q = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(" ")} }`;
      await expect(client.iterate({ query: q }).next()).rejects.toSatisfy((errs: unknown) =>
        JSON.stringify(errs).includes("aliases"),
      );
    } finally {
      await client.dispose();
    }
  });

  it("never sends stack traces or internal messages to clients", async () => {
    const syntax = await new Caller(prod).gql(`{ me { id `);
    expect(JSON.stringify(syntax)).not.toMatch(/stacktrace|at .*\.js:\d+/);
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const format = createFormatError(createLogger("error", "t", sink));
    const internal = new GraphQLError("boom", { originalError: new Error("relation \"users\" does not exist at 10.0.0.5"), path: ["me"] });
    const out = format({ message: internal.message, path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["x"] } }, internal);
    expect(out.message).toMatch(/^Internal server error \(reference [0-9a-f-]+\)$/);
    expect(JSON.stringify(out)).not.toContain("relation");
    expect(out.extensions).not.toHaveProperty("stacktrace");
    expect(lines.join("")).toContain("relation"); // the operator still finds it in the log, by reference
  });
});

describe("structured logs", () => {
  it("redact personal fields wherever they appear", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger("info", "t", sink);
    log.info({ email: "jane@example.org", input: { password: "hunter22", email: "x@y.z" }, variables: { name: "Doe^Jane" } }, "x");
    const entry = JSON.parse(lines[0]!);
    expect(entry.email).toBe("[redacted]");
    expect(entry.input.password).toBe("[redacted]");
    expect(entry.input.email).toBe("[redacted]");
    expect(entry.variables).toBe("[redacted]");
    expect(lines[0]).not.toMatch(/jane|hunter22|Doe/);
  });
});
