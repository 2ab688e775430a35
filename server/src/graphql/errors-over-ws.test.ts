import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Subscription, errorCode } from "../testing/fixtures.js";
import { Caller, buildUser, startTestServer } from "../testing/harness.js";

// Clients must see the same errors whichever transport they use: application errors with their
// code, anything else masked with a reference and logged on the server.
const SECRET = "connection to 10.0.0.7 refused for user concord_admin";
const ME = `{ me { id } }`;

describe("errors over HTTP and graphql-ws", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let caller: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    caller = (await buildUser(server)).caller;
    // An unexpected failure inside a resolver, standing in for a database or library error.
    server.services.accounts.me = async () => {
      throw new Error(SECRET);
    };
  });
  afterAll(async () => {
    await server?.close();
    await server?.dropDatabase();
  });

  const overWs = async (query: string, variables: Record<string, unknown> = {}) => {
    const sub = new Subscription(caller, query, variables);
    try {
      const r = await sub.next(5000);
      if (r === "timeout" || r.done) throw new Error(`no result over graphql-ws: ${String(r === "timeout" ? r : "completed")}`);
      return r.value;
    } finally {
      await sub.close();
    }
  };

  it("masks an internal error over HTTP, with a reference", async () => {
    const r = await caller.gql(ME);
    expect(errorCode(r)).toBe("INTERNAL_SERVER_ERROR");
    expect(r.errors![0]!.message).toMatch(/^Internal server error \(reference [0-9a-f-]{36}\)$/);
    expect(JSON.stringify(r)).not.toContain("10.0.0.7");
  });

  it("keeps an application error's code over graphql-ws", async () => {
    const r = await overWs(`query($id: ID!) { project(id: $id) { id } }`, { id: "00000000-0000-4000-8000-000000000000" });
    expect(errorCode(r)).toBe("NOT_FOUND");
  });

  // Errors inside an execution result go through useServer's onNext, which must mask them too.
  it("masks an internal error over graphql-ws like over HTTP", async () => {
    const r = await overWs(ME);
    expect(JSON.stringify(r)).not.toContain("10.0.0.7");
    expect(errorCode(r)).toBe("INTERNAL_SERVER_ERROR");
  });

  it("refuses NUL characters in any argument with a field-level error, on both transports", async () => {
    const q = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`;
    const http = await caller.gql(q, { input: { name: "a\u0000b" } });
    expect(errorCode(http)).toBe("BAD_USER_INPUT");
    expect(http.errors![0]!.extensions!.fields).toEqual([{ field: "input.name", message: "must not contain NUL characters" }]);
    const ws = await overWs(q, { input: { name: "ok", description: "x\u0000" } });
    expect(errorCode(ws)).toBe("BAD_USER_INPUT");
  });
});
