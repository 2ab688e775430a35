import {
  createSourceEventStream,
  execute,
  getArgumentValues,
  getOperationAST,
  Kind,
  print,
  visit,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
} from "graphql";
import type { FieldProblem } from "../errors.js";
import { nulProblems } from "./input-guard.js";

/**
 * The field extension that marks a subscription field whose result for an event depends on the
 * event alone: not on the subscriber's arguments, context or identity. Who may receive the event is
 * decided before it is yielded (the source stream filters per subscriber); what the field answers
 * for it is the same for everyone who asked with the same selection.
 */
export const SHARED_RESULT = "sharedResult";

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Results of events, per event object and per selection: a document with 200 subscribers executes
 * each event once for all of them instead of 200 times. Held weakly: an event's results go when the
 * event does (every subscriber has taken it).
 */
const shared = new WeakMap<object, Map<string, Result>>();

/**
 * graphql-ws's `subscribe`: graphql-js's own, except that events of a field marked SHARED_RESULT are
 * executed once per event and selection, and that one result object goes to every subscriber with
 * that selection. Anything else, and any subscription that cannot be keyed safely (several root
 * fields, fragments at the root, arguments the input guard would refuse), is executed per
 * subscriber as graphql-js does.
 */
export async function subscribeSharing(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const key = sharingKey(args);
  const run = (payload: unknown): Result => execute({ ...args, rootValue: payload });
  if (key === null) return mapEvents(source, run);
  return mapEvents(source, (payload) => {
    if (payload === null || typeof payload !== "object") return run(payload);
    let results = shared.get(payload);
    if (!results) shared.set(payload, (results = new Map()));
    const known = results.get(key);
    if (known) return known;
    const result = run(payload);
    results.set(key, result);
    // A result with errors is nobody else's: the next subscriber executes for itself.
    const forget = (r: ExecutionResult) => {
      if (r.errors?.length && results.get(key) === result) results.delete(key);
    };
    if (isPromise(result)) result.then(forget, () => results.delete(key));
    else forget(result);
    return result;
  });
}

/**
 * What makes two subscriptions' results for one event the same: the root field (name, alias,
 * directives) and its selection as printed, the document's fragments, and the values of the
 * variables used anywhere but in the root field's arguments (which, for a SHARED_RESULT field, only
 * choose the stream). Null when the subscription is not to be shared.
 */
export function sharingKey(args: ExecutionArgs): string | null {
  const { schema, document, operationName } = args;
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== "subscription") return null;
  const selections = operation.selectionSet.selections;
  if (selections.length !== 1 || selections[0].kind !== Kind.FIELD) return null;
  const root = selections[0];
  const field = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!field || field.extensions?.[SHARED_RESULT] !== true) return null;
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, root, (args.variableValues ?? {}) as Record<string, unknown>);
  } catch {
    return null;
  }
  // The input guard answers such arguments with an error per event: leave that to it, per subscriber.
  const problems: FieldProblem[] = [];
  nulProblems(values, "", problems);
  if (problems.length) return null;
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const withoutArguments: FieldNode = { ...root, arguments: [] };
  const used = new Set<string>();
  const collect = { Variable: (node: { name: { value: string } }) => void used.add(node.name.value) };
  visit(withoutArguments, collect);
  for (const fragment of fragments) visit(fragment, collect);
  const variables = Object.fromEntries([...used].sort().map((name) => [name, (args.variableValues ?? {})[name] ?? null]));
  return JSON.stringify([print(withoutArguments), fragments.map(print), variables]);
}

/**
 * Each event of `source` through `map`, as graphql-js's own mapping does: `return` goes straight to
 * the source (a stream waiting for its next event ends at once), and a failed mapping ends it too.
 */
function mapEvents<T, U>(source: AsyncIterable<T>, map: (value: T) => U | Promise<U>): AsyncGenerator<U> {
  const it = source[Symbol.asyncIterator]();
  const mapped = async (step: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (step.done) return step;
    try {
      return { value: await map(step.value), done: false };
    } catch (err) {
      await it.return?.().catch(() => undefined);
      throw err;
    }
  };
  return {
    next: async () => mapped(await it.next()),
    return: async () => (it.return ? mapped(await it.return()) : { value: undefined, done: true }),
    throw: async (err?: unknown) => {
      if (it.throw) return mapped(await it.throw(err));
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncGenerator<U>;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === "function";
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === "function";
}
