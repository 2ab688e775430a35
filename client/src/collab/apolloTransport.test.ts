import { describe, expect, it } from "vitest";
import { classifyError } from "./apolloTransport";
import { CollabRefused } from "./provider";

describe("classifyError", () => {
  it("turns what the server meant into CollabRefused, and leaves the network and server trouble to retry", () => {
    const notFound = classifyError({ graphQLErrors: [{ message: "Case not found", extensions: { code: "NOT_FOUND" } }] });
    expect(notFound).toBeInstanceOf(CollabRefused);
    expect((notFound as CollabRefused).code).toBe("NOT_FOUND");
    expect(classifyError({ errors: [{ message: "bad", extensions: { code: "BAD_USER_INPUT" } }] })).toBeInstanceOf(CollabRefused);

    const network = new TypeError("Failed to fetch");
    expect(classifyError({ networkError: network, graphQLErrors: [] })).not.toBeInstanceOf(CollabRefused);
    expect(classifyError(network)).toBe(network);
    expect(classifyError({ graphQLErrors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] })).not.toBeInstanceOf(CollabRefused);
  });
});
