import type { GraphQLFormattedError } from "graphql";

/** A server error as a form shows it: one message, plus messages that belong beside fields. */
export interface ProblemReport {
  message: string;
  code: string | null;
  fields: Record<string, string>;
}

interface FieldProblem {
  field: string;
  message: string;
}

interface ApolloLikeError {
  graphQLErrors?: readonly GraphQLFormattedError[];
  networkError?: (Error & { statusCode?: number; result?: unknown }) | null;
  message?: string;
}

const FRIENDLY: Record<string, string> = {
  UNAUTHENTICATED: "You are not logged in.",
  FORBIDDEN: "You are not allowed to do that.",
  NOT_FOUND: "Not found.",
  RATE_LIMITED: "Too many attempts; try again later.",
};

function isFieldProblem(v: unknown): v is FieldProblem {
  return typeof v === "object" && v !== null && typeof (v as FieldProblem).field === "string" && typeof (v as FieldProblem).message === "string";
}

/**
 * Turns an Apollo error into what a form shows. Field problems (`extensions.fields`) go beside the
 * fields the form has; problems about other fields stay in the main message so none is hidden.
 */
export function describeError(error: unknown, formFields: readonly string[] = []): ProblemReport {
  const e = (error ?? {}) as ApolloLikeError;
  const gql = e.graphQLErrors?.[0];
  if (gql) {
    const code = typeof gql.extensions?.code === "string" ? gql.extensions.code : null;
    const raw = Array.isArray(gql.extensions?.fields) ? gql.extensions.fields.filter(isFieldProblem) : [];
    return { ...placeProblems(gql.message || (code && FRIENDLY[code]) || "The request failed.", raw, formFields), code };
  }
  if (e.networkError) {
    return { message: "Cannot reach the server. Check your connection and try again.", code: "NETWORK_ERROR", fields: {} };
  }
  return { message: e.message || "Something went wrong.", code: null, fields: {} };
}

/**
 * Field problems as a form shows them: beside the fields the form has (nested inputs arrive as
 * "input.name"; forms name their fields by the last part), the others in the main message so none
 * is hidden. Without problems the message stays as it is.
 */
export function placeProblems(message: string, problems: readonly FieldProblem[], formFields: readonly string[]): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const problem of problems) {
    const name = problem.field.split(".").pop() ?? problem.field;
    if (formFields.includes(name)) fields[name] = fields[name] ? `${fields[name]}; ${problem.message}` : problem.message;
    else elsewhere.push(`${name}: ${problem.message}`);
  }
  if (problems.length) message = elsewhere.length ? elsewhere.join("; ") : "Please correct the fields marked below.";
  return { message, fields };
}
