import { describe, expect, it } from "vitest";
import { linkRefusal, sessionsEndedText } from "./links";

describe("linkRefusal", () => {
  it("lets a valid link through", () => {
    expect(linkRefusal("invitation", "VALID")).toBeNull();
    expect(linkRefusal("password link", "VALID")).toBeNull();
  });

  it("says why a link cannot be used and whom to ask", () => {
    expect(linkRefusal("invitation", "EXPIRED")).toBe("This invitation has expired. Ask whoever invited you for a new invitation.");
    expect(linkRefusal("invitation", "USED")).toBe("This invitation has already been used. Ask whoever invited you for a new invitation.");
    expect(linkRefusal("password link", "WITHDRAWN")).toBe("This password link was withdrawn. Ask an administrator of this server for a new link.");
  });
});

describe("sessionsEndedText", () => {
  it("counts the sessions in words", () => {
    expect(sessionsEndedText(0)).toBe("No other session was open.");
    expect(sessionsEndedText(1)).toBe("1 other session was logged out.");
    expect(sessionsEndedText(3)).toBe("3 other sessions were logged out.");
  });
});
