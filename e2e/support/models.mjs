// Models as the AI specs register them: through GraphQL from the page, then waited for until a
// worker has made them READY (a refusal fails the test, saying why).
import assert from "node:assert/strict";
import { gql } from "./api.mjs";
import { eventually } from "./expect.mjs";

const REGISTER = "mutation($p: ID!, $n: String!, $m: String!, $f: String!) { registerModel(projectId: $p, name: $n, metadata: $m, file: $f) { id } }";

/** Registers an ONNX model (`bytes`, `metadata`) as `name` in the project and waits until it is READY; answers the version and its model's task. */
export async function registerReadyModel(page, projectId, name, { bytes, metadata }) {
  const { registerModel } = await gql(page, REGISTER, { p: projectId, n: name, m: JSON.stringify(metadata), f: Buffer.from(bytes).toString("base64") });
  return eventually(
    async () => {
      const { modelVersion } = await gql(page, "query($id: ID!) { modelVersion(id: $id) { id status refusal } }", { id: registerModel.id });
      assert.equal(modelVersion.status, "READY", `status ${modelVersion.status}: ${modelVersion.refusal ?? ""}`);
      const { models } = await gql(page, "query($p: ID!) { models(projectId: $p) { task versions { id } } }", { p: projectId });
      return { id: modelVersion.id, task: models.find((m) => m.versions.some((v) => v.id === modelVersion.id)).task };
    },
    { timeout: 60_000, interval: 250 },
  );
}
