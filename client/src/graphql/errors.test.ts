import { describe, expect, it } from "vitest";
import { describeError } from "./errors";

const graphQLError = (message: string, extensions: Record<string, unknown>) => ({ graphQLErrors: [{ message, extensions }] });

describe("describeError", () => {
  it("puts field problems beside the form's fields, the rest in the message", () => {
    const report = describeError(
      graphQLError("email: taken; password: too short; labelIds: wrong", {
        code: "BAD_USER_INPUT",
        fields: [
          { field: "email", message: "is taken" },
          { field: "input.password", message: "too short" },
          { field: "password", message: "too common" },
          { field: "labelIds", message: "wrong" },
        ],
      }),
      ["email", "password"],
    );
    expect(report.code).toBe("BAD_USER_INPUT");
    expect(report.fields).toEqual({ email: "is taken", password: "too short; too common" });
    expect(report.message).toBe("labelIds: wrong");
  });

  it("asks to look at the fields when every problem has a place", () => {
    const report = describeError(graphQLError("x", { code: "CONFLICT", fields: [{ field: "name", message: "exists" }] }), ["name"]);
    expect(report.message).toBe("Please correct the fields marked below.");
  });

  it("keeps the server's message and code otherwise", () => {
    expect(describeError(graphQLError("Project not found", { code: "NOT_FOUND" }))).toEqual({ message: "Project not found", code: "NOT_FOUND", fields: {} });
  });

  it("explains network failures", () => {
    expect(describeError({ networkError: new Error("Failed to fetch") }).code).toBe("NETWORK_ERROR");
  });
});
