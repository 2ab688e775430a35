import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";
import { AppError, type FieldProblem } from "../errors.js";

// Codes whose messages were written for clients. Anything else is masked.
const CLIENT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COMPLEX",
  "TOO_MANY_ALIASES",
]);

interface ClassValidatorError {
  property: string;
  constraints?: Record<string, string>;
  children?: ClassValidatorError[];
}

function flatten(errors: ClassValidatorError[], prefix = ""): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** No stack traces and no internals reach a client; field-level problems do, with their field names. */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { ...original.extensions } };
    }
    let code = (formatted.extensions?.code as string | undefined) ?? "";
    // Apollo relabels every validation-rule error; keep the specific code our rules gave (QUERY_TOO_DEEP...).
    const ruleCode = ((original as GraphQLError | undefined)?.originalError as GraphQLError | undefined)?.extensions?.code;
    if (code === "GRAPHQL_VALIDATION_FAILED" && typeof ruleCode === "string" && CLIENT_CODES.has(ruleCode)) code = ruleCode;
    const validationErrors = (original as GraphQLError | undefined)?.extensions?.validationErrors as ClassValidatorError[] | undefined;
    if (code === "BAD_USER_INPUT" && Array.isArray(validationErrors)) {
      const fields = flatten(validationErrors);
      return {
        message: fields.map((f) => `${f.field}: ${f.message}`).join("; ") || "Invalid input",
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code, fields },
      };
    }
    if (CLIENT_CODES.has(code) || (original instanceof GraphQLError && !original.originalError && !formatted.path)) {
      const { stacktrace: _s, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions: { ...extensions, code: code || "BAD_REQUEST" } };
    }
    const reference = randomUUID();
    log.error({ reference, err: errorSummary(original), path: formatted.path }, "internal error");
    return {
      message: `Internal server error (reference ${reference})`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: "INTERNAL_SERVER_ERROR", reference },
    };
  };
}

function errorSummary(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { value: String(err) };
}
