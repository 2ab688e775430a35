import { sign, verify, type KeyObject } from "node:crypto";
import { HASH_SIZE } from "./merkle.js";
import { noteKeyId } from "./keys.js";

// A signed tree head is a C2SP tlog-checkpoint inside a C2SP signed note:
//
//   <origin>\n              the log's name, also the signing key's name
//   <tree size>\n           decimal
//   <root hash>\n           base64 of the 32-byte RFC 9162 root
//   \n
//   — <origin> <base64(key id (4 bytes) || Ed25519 signature (64 bytes))>\n
//
// The signature covers the three body lines, newlines included. Key id: see noteKeyId.

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

export interface SignedCheckpoint extends Checkpoint {
  keyId: Buffer;
  signature: Buffer;
  /** The whole note, as published. */
  text: string;
}

export function checkpointBody(c: Checkpoint): string {
  // Signed-note key names may hold neither whitespace nor "+".
  if (!c.origin || /[\s+]/.test(c.origin)) throw new Error(`origin ${JSON.stringify(c.origin)} must be non-empty, without spaces or "+"`);
  if (c.root.length !== HASH_SIZE) throw new Error("root must be 32 bytes");
  return `${c.origin}\n${c.size}\n${c.root.toString("base64")}\n`;
}

export function signCheckpoint(c: Checkpoint, privateKey: KeyObject, publicKeyRaw: Buffer): SignedCheckpoint {
  const body = checkpointBody(c);
  const signature = sign(null, Buffer.from(body, "utf8"), privateKey);
  const keyId = noteKeyId(c.origin, publicKeyRaw);
  const text = `${body}\n\u2014 ${c.origin} ${Buffer.concat([keyId, signature]).toString("base64")}\n`;
  return { ...c, keyId, signature, text };
}

/** Parses and verifies a signed checkpoint against a public key; null when anything is off. */
export function openCheckpoint(text: string, publicKey: KeyObject, publicKeyRaw: Buffer): SignedCheckpoint | null {
  const split = text.indexOf("\n\n");
  if (split < 0) return null;
  const body = text.slice(0, split + 1);
  const lines = body.split("\n");
  if (lines.length !== 4 || lines[3] !== "") return null;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) return null;
  const size = Number(sizeText);
  const root = Buffer.from(rootText, "base64");
  if (!Number.isSafeInteger(size) || root.length !== HASH_SIZE || root.toString("base64") !== rootText) return null;
  const keyId = noteKeyId(origin, publicKeyRaw);
  for (const line of text.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== origin) continue;
    const blob = Buffer.from(m[2]!, "base64");
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(keyId)) continue;
    const signature = blob.subarray(4);
    if (verify(null, Buffer.from(body, "utf8"), publicKey, signature)) return { origin, size, root, keyId, signature, text };
  }
  return null;
}
