import { describe, expect, it } from "vitest";
import { fromBase64 } from "../collab/base64";
import { metadataHeader, modelUploadUrl, refusal } from "./modelUpload";

describe("model upload", () => {
  it("puts metadata in any script and over several lines into one header-safe value", () => {
    const json = JSON.stringify({ output: { labels: ["Kardiomegalie", "плевральный выпот", "胸水"] } }, null, 2);
    const header = metadataHeader(json);
    expect(header).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(new TextDecoder().decode(fromBase64(header))).toBe(json);
  });

  it("escapes the project id and model name in the route", () => {
    expect(modelUploadUrl("p 1", "chest/x ray")).toBe("/ai/projects/p%201/models/chest%2Fx%20ray/versions");
  });

  it("reads a refusal's message and field problems, and says something useful without JSON", () => {
    const body = JSON.stringify({ error: "the model does not match its metadata", fields: [{ field: "metadata.input.shape", message: "dimension 2 = 128, metadata says 256" }, { bad: 1 }] });
    expect(refusal(400, body)).toEqual({ message: "the model does not match its metadata", fields: [{ field: "metadata.input.shape", message: "dimension 2 = 128, metadata says 256" }] });
    expect(refusal(413, JSON.stringify({ error: "a model file may be at most 536870912 bytes" })).message).toMatch(/at most/);
    expect(refusal(404, "<html>")).toEqual({ message: "Not found.", fields: [] });
    expect(refusal(502, "Bad gateway").message).toBe("The upload failed (HTTP 502).");
    expect(refusal(0, "").message).toMatch(/Cannot reach the server/);
  });
});
