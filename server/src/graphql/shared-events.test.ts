import { EventEmitter, on } from "node:events";
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  type ExecutionResult,
} from "graphql";
import { describe, expect, it } from "vitest";
import { SHARED_RESULT, sharingKey, subscribeSharing } from "./shared-events.js";

interface Event {
  update: string;
}

/**
 * A schema with two subscription fields over one emitter: `shared` marked SHARED_RESULT and `plain`
 * not. Each counts how often its root resolver and one nested field ran.
 */
function fixture() {
  const emitter = new EventEmitter();
  const counts = { shared: 0, plain: 0, nested: 0 };
  const Update = new GraphQLObjectType({
    name: "Update",
    fields: {
      update: { type: GraphQLString },
      nested: {
        type: GraphQLString,
        resolve: (e: Event) => {
          counts.nested++;
          return `n:${e.update}`;
        },
      },
    },
  });
  // A source whose return() ends a pending next() at once, as the server's streams do.
  const stream = (): AsyncIterableIterator<Event> => {
    const events = on(emitter, "event");
    return {
      next: async () => {
        const r = await events.next();
        return r.done ? r : { value: (r.value as Event[])[0], done: false };
      },
      return: async () => {
        await events.return!();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
  const args = { caseId: { type: new GraphQLNonNull(GraphQLID) }, exceptClientId: { type: GraphQLString } };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLBoolean } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        shared: {
          type: Update,
          args,
          extensions: { [SHARED_RESULT]: true },
          subscribe: stream,
          resolve: (e: Event) => (counts.shared++, e),
        },
        plain: { type: Update, args, subscribe: stream, resolve: (e: Event) => (counts.plain++, e) },
      },
    }),
  });
  return { emitter, counts, schema };
}

async function subscribe(schema: GraphQLSchema, query: string, variableValues: Record<string, unknown> = {}) {
  const it = await subscribeSharing({ schema, document: parse(query), variableValues });
  if (!(Symbol.asyncIterator in it)) throw new Error(`not a stream: ${JSON.stringify(it)}`);
  return it as AsyncGenerator<ExecutionResult>;
}

describe("subscription events executed once per event and selection", () => {
  it("gives every subscriber of a shared field the same result, executed once, whatever their arguments", async () => {
    const { emitter, counts, schema } = fixture();
    const q = `subscription($c: ID!, $x: String) { shared(caseId: $c, exceptClientId: $x) { update nested } }`;
    const subs = await Promise.all([1, 2, 3, 4, 5].map((i) => subscribe(schema, q, { c: "case", x: `client-${i}` })));
    const next = subs.map((s) => s.next());
    const event = { update: "u1" };
    emitter.emit("event", event);
    const results = await Promise.all(next);
    for (const r of results) expect(r.value).toEqual({ data: { shared: { update: "u1", nested: "n:u1" } } });
    expect(new Set(results.map((r) => r.value)).size).toBe(1);
    expect(counts).toMatchObject({ shared: 1, nested: 1 });
    await Promise.all(subs.map((s) => s.return(undefined)));
  });

  it("executes per subscriber a field that is not marked, as graphql-js does", async () => {
    const { emitter, counts, schema } = fixture();
    const q = `subscription { plain(caseId: "c") { update nested } }`;
    const subs = await Promise.all([1, 2, 3].map(() => subscribe(schema, q)));
    const next = subs.map((s) => s.next());
    emitter.emit("event", { update: "u" });
    const results = await Promise.all(next);
    expect(results.map((r) => r.value)).toEqual(Array(3).fill({ data: { plain: { update: "u", nested: "n:u" } } }));
    expect(counts).toMatchObject({ plain: 3, nested: 3 });
    await Promise.all(subs.map((s) => s.return(undefined)));
  });

  it("keeps apart different selections, aliases and variables used in the selection", async () => {
    const { emitter, counts, schema } = fixture();
    const withNested = `subscription($n: Boolean!) { shared(caseId: "c") { update nested @include(if: $n) } }`;
    const subs = await Promise.all([
      subscribe(schema, `subscription { shared(caseId: "c") { update } }`),
      subscribe(schema, `subscription { shared(caseId: "other") { update } }`),
      subscribe(schema, `subscription { s: shared(caseId: "c") { update } }`),
      subscribe(schema, withNested, { n: true }),
      subscribe(schema, withNested, { n: false }),
      subscribe(schema, `subscription { shared(caseId: "c") { ...F } } fragment F on Update { update nested }`),
    ]);
    const next = subs.map((s) => s.next());
    emitter.emit("event", { update: "u" });
    const values = (await Promise.all(next)).map((r) => r.value);
    expect(values).toEqual([
      { data: { shared: { update: "u" } } },
      { data: { shared: { update: "u" } } },
      { data: { s: { update: "u" } } },
      { data: { shared: { update: "u", nested: "n:u" } } },
      { data: { shared: { update: "u" } } },
      { data: { shared: { update: "u", nested: "n:u" } } },
    ]);
    // The first two differ only in the root field's arguments: one execution serves both.
    expect(values[0]).toBe(values[1]);
    expect(counts.shared).toBe(5);
    await Promise.all(subs.map((s) => s.return(undefined)));
  });

  it("does not key subscriptions it cannot share safely", () => {
    const { schema } = fixture();
    const key = (query: string, variableValues: Record<string, unknown> = {}) => sharingKey({ schema, document: parse(query), variableValues });
    expect(key(`subscription { shared(caseId: "c") { update } }`)).not.toBeNull();
    expect(key(`subscription { plain(caseId: "c") { update } }`)).toBeNull();
    expect(key(`subscription { ...R } fragment R on Subscription { shared(caseId: "c") { update } }`)).toBeNull();
    expect(key(`subscription($c: ID!) { shared(caseId: $c) { update } }`, { c: "a\u0000b" })).toBeNull();
    expect(key(`query { ok }`)).toBeNull();
  });

  it("ends the source at once when a subscriber leaves while waiting, and shares nothing that failed", async () => {
    const { emitter, schema } = fixture();
    const sub = await subscribe(schema, `subscription { shared(caseId: "c") { update } }`);
    const pending = sub.next();
    await sub.return(undefined);
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(emitter.listenerCount("event")).toBe(0);

    // An event the field fails on: each subscriber gets its own error result.
    const failing = { get update(): string {
      throw new Error("broken event");
    } };
    const subs = await Promise.all([1, 2].map(() => subscribe(schema, `subscription { shared(caseId: "c") { update } }`)));
    const next = subs.map((s) => s.next());
    emitter.emit("event", failing);
    const [a, b] = (await Promise.all(next)).map((r) => r.value as ExecutionResult);
    expect(a.errors?.[0]?.message).toBe("broken event");
    expect(b.errors?.[0]?.message).toBe("broken event");
    expect(a).not.toBe(b);
    await Promise.all(subs.map((s) => s.return(undefined)));
  });
});
