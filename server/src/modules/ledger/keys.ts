import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import type { Logger } from "../../logger.js";
import { keyFileText } from "../../platform/key-file.js";

/** The ledger's secrets: the Ed25519 key that signs tree heads, and the HMAC key for actor pseudonyms. */
export interface LedgerKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32-byte Ed25519 public key. */
  publicKeyRaw: Buffer;
  /** HMAC-SHA256 key of actor pseudonyms, derived from the signing key (HKDF), so one secret configures both. */
  actorKey: Buffer;
}

export const SIGNING_KEY_FILE = "ledger-signing-key.pem";

/** An Ed25519 private key from PEM, or from base64 of its PKCS#8 DER; throws a readable error otherwise. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith("-----BEGIN")
      ? createPrivateKey({ key: trimmed, format: "pem" })
      : createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  } catch {
    throw new Error("must be an Ed25519 private key, PEM or base64 PKCS#8");
  }
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`must be an Ed25519 private key, not ${key.asymmetricKeyType}`);
  return key;
}

export function ledgerKeys(privateKey: KeyObject): LedgerKeys {
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: "jwk" }) as { x: string };
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  const actorKey = Buffer.from(hkdfSync("sha256", der, Buffer.alloc(0), "concord ledger actor pseudonym v1", 32));
  return { privateKey, publicKey, publicKeyRaw: Buffer.from(jwk.x, "base64url"), actorKey };
}

/**
 * LEDGER_SIGNING_KEY when set; otherwise a key generated once into the data dir (the embedded
 * default). Replicas on a shared database must share one key, so without it they are warned.
 */
export async function loadLedgerKeys(opts: { signingKey: string | undefined; dataDir: string; embedded: boolean }, log: Logger): Promise<LedgerKeys> {
  if (opts.signingKey) return ledgerKeys(parseSigningKey(opts.signingKey));
  const generate = () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }) as string;
  const { file, text } = await keyFileText(opts.dataDir, SIGNING_KEY_FILE, generate, "the ledger signing key", log);
  if (!opts.embedded) log.warn({ file }, "LEDGER_SIGNING_KEY is not set: this replica signs tree heads with a key of its own data dir");
  return ledgerKeys(parseSigningKey(text));
}

/** C2SP signed-note key id: the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key), 0x01 naming Ed25519. */
export function noteKeyId(name: string, publicKeyRaw: Buffer): Buffer {
  return createHash("sha256").update(name, "utf8").update(Buffer.from([0x0a, 0x01])).update(publicKeyRaw).digest().subarray(0, 4);
}
