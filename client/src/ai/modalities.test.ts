import { describe, expect, it } from "vitest";
import { parseModalities } from "./modalities";

describe("parseModalities", () => {
  it("splits on commas, semicolons and spaces, upper-cases and keeps each once, in order", () => {
    expect(parseModalities("CT, mr")).toEqual(["CT", "MR"]);
    expect(parseModalities(" mg;US  mg ")).toEqual(["MG", "US"]);
  });
  it("names none for an empty or blank field", () => {
    expect(parseModalities("")).toBeNull();
    expect(parseModalities(" , ")).toBeNull();
  });
});
