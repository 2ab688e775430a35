import { baseUrl } from "../support/browser.mjs";

/** The project's models page: models and their versions, registering, training, runs on all cases. */
export class ModelsPage {
  constructor(page) {
    this.page = page;
    this.register = page.getByRole("region", { name: "Register a model" });
    this.models = page.getByRole("region", { name: "Models", exact: true });
  }

  async goto(projectId) {
    await this.page.goto(`${baseUrl()}/projects/${projectId}/models`);
    await this.page.getByRole("heading", { level: 1, name: /: models$/ }).waitFor();
  }

  /** Fills the register form (metadata as an object, the ONNX file's bytes) and submits it. */
  async registerModel({ name, metadata, bytes }) {
    await this.register.getByLabel("Model name", { exact: true }).fill(name);
    await this.register.getByLabel("Metadata (JSON)", { exact: true }).fill(JSON.stringify(metadata, null, 2));
    await this.register.getByLabel("ONNX file", { exact: true }).setInputFiles([{ name: `${name}.onnx`, mimeType: "application/octet-stream", buffer: Buffer.from(bytes) }]);
    await this.register.getByRole("button", { name: "Register", exact: true }).click();
  }

  /** A model's versions as the page lists them: version id, status and status text. */
  async versions(modelName) {
    return this.page
      .locator(`article[data-model-name="${modelName}"] [data-version-id]`)
      .evaluateAll((items) => items.map((li) => ({ id: li.dataset.versionId, status: li.dataset.status, text: li.querySelector('[data-testid="version-status"]')?.textContent?.trim() })));
  }

  version(versionId) {
    return this.page.locator(`[data-version-id="${versionId}"]`);
  }
}
