import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../paths.js";
import { printedSchema } from "./schema.js";

describe("schema/schema.graphql", () => {
  it("is what the resolvers print (run `npm run schema:print` after changing the API)", async () => {
    const committed = fs.readFileSync(path.join(repoRoot(), "schema", "schema.graphql"), "utf8");
    expect(committed).toBe(await printedSchema());
  });
});
