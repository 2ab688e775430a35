import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Logger } from "../logger.js";
import { keyFileText } from "./key-file.js";

/**
 * Credentials Concord keeps for other systems (an external store's password or token), sealed with
 * AES-256-GCM before they reach the database, so a dump or a backup of the database alone does not
 * disclose them.
 *
 * A sealed value is text: `v1:<key id>:<nonce>:<ciphertext>:<tag>` (base64 parts). The key id lets a
 * later version keep several keys and rotate; the version, key id and the caller's context (which
 * column of which row) are authenticated with it, so a value copied to another row does not open.
 */
export const SECRETS_KEY_FILE = "secrets-key";

const VERSION = "v1";
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1:([0-9a-f]{8}):([A-Za-z0-9+/]{16}):([A-Za-z0-9+/]*={0,2}):([A-Za-z0-9+/]{22}==)$/;

/** A value that is not what the sealing key and context say it should be; the message says why, never the value. */
export class SecretsError extends Error {}

/** A 32-byte key from 64 hex digits or from base64; throws a readable error (without the text) otherwise. */
export function parseSecretsKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  // Node's base64 decoder takes the URL-safe alphabet too; 43 characters carry the 32 bytes.
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return Buffer.from(t, "base64");
  throw new SecretsError(`must be ${KEY_BYTES} random bytes, as 64 hex digits or as base64 (e.g. from \`openssl rand -base64 32\`)`);
}

export function isSecretsKey(text: string): boolean {
  try {
    parseSecretsKey(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether a stored value is in the sealed form (anything else is a value stored before sealing existed). */
export function isSealed(stored: string): boolean {
  return SEALED.test(stored);
}

export class SecretBox {
  readonly #key: Buffer;
  /** The first 4 bytes of a hash of the key, in hex: names the key in sealed values and errors, reveals nothing of it. */
  readonly keyId: string;

  /** `origin` names where the key came from, for error messages (an environment variable or a file). */
  constructor(
    key: Buffer,
    readonly origin: string,
  ) {
    if (key.length !== KEY_BYTES) throw new SecretsError(`${origin}: the key must be ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
    this.keyId = createHash("sha256").update("concord secrets key id\n").update(this.#key).digest().subarray(0, 4).toString("hex");
  }

  /** `context` names the one place this value may be opened (e.g. the column and row it is stored in). */
  seal(plain: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.keyId, context));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [VERSION, this.keyId, nonce.toString("base64"), body.toString("base64"), cipher.getAuthTag().toString("base64")].join(":");
  }

  open(sealed: string, context: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new SecretsError(`${context}: not a sealed value (expected ${VERSION}:<key id>:<nonce>:<ciphertext>:<tag>)`);
    const [, keyId, nonce, body, tag] = m as unknown as [string, string, string, string, string];
    if (keyId !== this.keyId) {
      throw new SecretsError(`${context}: sealed with key ${keyId}, but this server's key is ${this.keyId} (${this.origin}); restore that key, or give the secret again`);
    }
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(nonce, "base64"), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyId, context));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretsError(`${context}: the sealed value does not authenticate: it was altered, or it was sealed for another row`);
    }
  }

  /** The stored form as a plain value: sealed values are opened, values stored before sealing are taken as they are. */
  reveal(stored: string, context: string): string {
    return isSealed(stored) ? this.open(stored, context) : stored;
  }

  toJSON(): string {
    return `SecretBox(${this.keyId})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `SecretBox(${this.keyId})`;
  }
}

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${context}`, "utf8");
}

/**
 * CONCORD_SECRETS_KEY when set; otherwise a key generated once into the data dir (the embedded
 * default). Every replica and worker must open what the others sealed, so without the variable
 * they must share the data dir, and are warned.
 */
export async function loadSecretBox(opts: { key: string | undefined; dataDir: string; embedded: boolean }, log: Logger): Promise<SecretBox> {
  if (opts.key !== undefined) {
    let key: Buffer;
    try {
      key = parseSecretsKey(opts.key);
    } catch (err) {
      throw new SecretsError(`CONCORD_SECRETS_KEY ${(err as Error).message}`);
    }
    return new SecretBox(key, "CONCORD_SECRETS_KEY");
  }
  const what = "the key that encrypts stored credentials";
  const { file, text } = await keyFileText(opts.dataDir, SECRETS_KEY_FILE, () => `${randomBytes(KEY_BYTES).toString("base64")}\n`, what, log);
  let key: Buffer;
  try {
    key = parseSecretsKey(text);
  } catch (err) {
    throw new SecretsError(`${file} ${(err as Error).message}`);
  }
  if (!opts.embedded) log.warn({ file }, "CONCORD_SECRETS_KEY is not set: stored credentials are encrypted with the data dir's key, which every replica and worker must share");
  return new SecretBox(key, file);
}
