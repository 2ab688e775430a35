import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { isSealed, loadSecretBox, parseSecretsKey, SecretBox, SECRETS_KEY_FILE, SecretsError } from "./secrets.js";

const log = createLogger("silent");
const newBox = () => new SecretBox(randomBytes(32), "test");
const A = "project_stores.secret of project a";
const B = "project_stores.secret of project b";

describe("SecretBox", () => {
  it("opens what it sealed, and the sealed text shows nothing of the value", () => {
    const box = newBox();
    for (const plain of ["s3cret", "", "pässwörd ✓", "x".repeat(4096)]) {
      const sealed = box.seal(plain, A);
      expect(sealed).toMatch(new RegExp(`^v1:${box.keyId}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]*={0,2}:[A-Za-z0-9+/]{22}==$`));
      expect(isSealed(sealed)).toBe(true);
      if (plain) expect(sealed).not.toContain(plain);
      expect(box.open(sealed, A)).toBe(plain);
      expect(box.reveal(sealed, A)).toBe(plain);
    }
  });

  it("draws a new nonce for every seal, so one secret sealed twice gives two texts", () => {
    const box = newBox();
    const [a, b] = [box.seal("s3cret", A), box.seal("s3cret", A)];
    expect(a).not.toBe(b);
    expect(a.split(":")[2]).not.toBe(b.split(":")[2]);
    expect([box.open(a, A), box.open(b, A)]).toEqual(["s3cret", "s3cret"]);
  });

  it("refuses a value that was altered, saying so", () => {
    const box = newBox();
    const sealed = box.seal("s3cret", A);
    const [v, id, nonce, body, tag] = sealed.split(":") as [string, string, string, string, string];
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString("base64");
    };
    for (const altered of [
      [v, id, nonce, flip(body), tag],
      [v, id, flip(nonce), body, tag],
      [v, id, nonce, body, flip(tag)],
      [v, id, nonce, body.slice(0, -4) + "AAA=", tag],
    ]) {
      expect(() => box.open(altered.join(":"), A)).toThrow(SecretsError);
      expect(() => box.open(altered.join(":"), A)).toThrow(`${A}: the sealed value does not authenticate: it was altered, or it was sealed for another row`);
    }
    expect(() => box.open("v1:garbage", A)).toThrow(`${A}: not a sealed value`);
  });

  it("refuses a value copied to another row (another project id)", () => {
    const box = newBox();
    const sealed = box.seal("s3cret", A);
    expect(() => box.open(sealed, B)).toThrow(`${B}: the sealed value does not authenticate`);
    expect(() => box.reveal(sealed, B)).toThrow(SecretsError);
  });

  it("refuses a value sealed with another key, naming both keys, even with the key id forged", () => {
    const [box, other] = [newBox(), newBox()];
    const sealed = box.seal("s3cret", A);
    expect(() => other.open(sealed, A)).toThrow(`${A}: sealed with key ${box.keyId}, but this server's key is ${other.keyId} (test)`);
    const forged = sealed.replace(`:${box.keyId}:`, `:${other.keyId}:`);
    expect(() => other.open(forged, A)).toThrow(/does not authenticate/);
  });

  it("takes values stored before sealing existed as they are", () => {
    const box = newBox();
    for (const legacy of ["s3cret", "v1:looks:like:a:value", "Bearer abc.def.ghi"]) {
      expect(isSealed(legacy)).toBe(false);
      expect(box.reveal(legacy, A)).toBe(legacy);
    }
  });

  it("never shows its key when logged or serialised", () => {
    const key = randomBytes(32);
    const box = new SecretBox(key, "test");
    for (const shown of [inspect(box), JSON.stringify({ box }), String(Object.values(box))]) {
      expect(shown).not.toContain(key.toString("base64"));
      expect(shown).not.toContain(key.toString("hex"));
    }
  });
});

describe("the secrets key", () => {
  it("is read as 64 hex digits or base64 of 32 bytes, and anything else is refused without being shown", () => {
    const key = randomBytes(32);
    expect(parseSecretsKey(key.toString("hex"))).toEqual(key);
    expect(parseSecretsKey(` ${key.toString("base64")}\n`)).toEqual(key);
    expect(parseSecretsKey(key.toString("base64url"))).toEqual(key);
    for (const bad of ["", "short", key.toString("hex").slice(2), randomBytes(16).toString("base64"), randomBytes(33).toString("base64"), `${key.toString("hex")}00`]) {
      expect(() => parseSecretsKey(bad), bad).toThrow(/must be 32 random bytes, as 64 hex digits or as base64/);
    }
    expect(loadConfig({ CONCORD_SECRETS_KEY: key.toString("base64") }).secrets.key?.reveal()).toBe(key.toString("base64"));
    expect(loadConfig({}).secrets.key).toBeUndefined();
    const refused = (() => {
      try {
        loadConfig({ CONCORD_SECRETS_KEY: "not-a-key-at-all" });
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toMatch(/CONCORD_SECRETS_KEY: must be 32 random bytes/);
    expect((refused as Error).message).not.toContain("not-a-key-at-all");
    expect(JSON.stringify(loadConfig({ CONCORD_SECRETS_KEY: key.toString("hex") }))).not.toContain(key.toString("hex"));
  });

  it("comes from CONCORD_SECRETS_KEY when given, else is generated once into the data dir, readable by its owner only", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "concord-secrets-key-"));
    try {
      const a = await loadSecretBox({ key: undefined, dataDir: dir, embedded: true }, log);
      const b = await loadSecretBox({ key: undefined, dataDir: dir, embedded: true }, log);
      expect(b.keyId).toBe(a.keyId);
      expect(b.open(a.seal("s3cret", A), A)).toBe("s3cret");
      const file = path.join(dir, SECRETS_KEY_FILE);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect(await fs.readdir(dir)).toEqual([SECRETS_KEY_FILE]);

      const key = randomBytes(32);
      const fromEnv = await loadSecretBox({ key: key.toString("hex"), dataDir: dir, embedded: true }, log);
      expect(fromEnv.keyId).toBe(new SecretBox(key, "x").keyId);
      expect(fromEnv.keyId).not.toBe(a.keyId);
      await expect(loadSecretBox({ key: "nope", dataDir: dir, embedded: true }, log)).rejects.toThrow(/^CONCORD_SECRETS_KEY must be 32 random bytes/);

      await fs.writeFile(file, "broken\n");
      await expect(loadSecretBox({ key: undefined, dataDir: dir, embedded: true }, log)).rejects.toThrow(`${file} must be 32 random bytes`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("is the same for replicas generating it at the same moment", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "concord-secrets-key-"));
    try {
      const boxes = await Promise.all(Array.from({ length: 8 }, () => loadSecretBox({ key: undefined, dataDir: dir, embedded: false }, log)));
      expect(new Set(boxes.map((b) => b.keyId)).size).toBe(1);
      expect(await fs.readdir(dir)).toEqual([SECRETS_KEY_FILE]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
