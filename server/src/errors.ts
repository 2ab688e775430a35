import { GraphQLError } from "graphql";

// Errors a client may see. Anything else is masked as an internal error (see graphql/format-error.ts).
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "PROJECT_ARCHIVED"
  /** A DICOM peer (PACS) could not be reached, refused us or failed the request; the message says how. */
  | "DICOM_PEER_FAILED"
  /** A single sign-on could not be completed or was refused; the message says why, for the person signing on. */
  | "SSO_FAILED";

export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const unauthenticated = () => new AppError("UNAUTHENTICATED", "You must be logged in");
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const conflict = (message: string, field?: string) =>
  new AppError("CONFLICT", message, field ? { fields: [{ field, message }] } : {});
export const invalid = (fields: FieldProblem[]) =>
  new AppError(
    "BAD_USER_INPUT",
    fields.map((f) => `${f.field}: ${f.message}`).join("; "),
    { fields },
  );
export const archived = () =>
  new AppError("PROJECT_ARCHIVED", "The project is archived; unarchive it to make changes");
export const dicomPeerFailed = (message: string) => new AppError("DICOM_PEER_FAILED", message);
