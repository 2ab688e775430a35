import type { MiddlewareFn } from "type-graphql";
import { invalid, type FieldProblem } from "../errors.js";

// PostgreSQL text cannot hold U+0000, and no field of ours means it. Refuse it up front with the
// field's name rather than failing deep in the database.
export function nulProblems(value: unknown, path: string, out: FieldProblem[]): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) out.push({ field: path, message: "must not contain NUL characters" });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulProblems(v, `${path}[${i}]`, out));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) nulProblems(v, path ? `${path}.${k}` : k, out);
  }
}

export const rejectNulCharacters: MiddlewareFn = ({ args, info }, next) => {
  const root = info.parentType.name;
  if (root === "Query" || root === "Mutation" || root === "Subscription") {
    const problems: FieldProblem[] = [];
    nulProblems(args, "", problems);
    if (problems.length) throw invalid(problems);
  }
  return next();
};
