import { hash, verify, Algorithm } from "@node-rs/argon2";
import type { FieldProblem } from "../../errors.js";

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Computed once so a login for an unknown e-mail costs the same as one for a known e-mail.
let dummy: Promise<string> | null = null;
export const dummyHash = () => (dummy ??= hashPassword("concord-timing-equaliser"));

const COMMON = new Set([
  "password", "password1", "password123", "123456789", "1234567890", "qwertyuiop", "iloveyou",
  "letmein123", "admin12345", "welcome123", "passw0rd", "p@ssw0rd", "radiology", "radiologist",
  "concord123", "changeme", "changeme123", "abcdefghij", "qwerty123", "1q2w3e4r5t",
]);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** NIST 800-63B style: length over composition rules, and no well-known or personal passwords. */
export function passwordProblems(password: string, email: string, name: string): FieldProblem[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN) problems.push(`must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) problems.push(`must be at most ${PASSWORD_MAX} characters`);
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push("is too common");
  if (new Set(password).size < 4) problems.push("uses too few different characters");
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) problems.push("must not contain your e-mail address");
  const nameLower = name.trim().toLowerCase();
  if (nameLower.length >= 4 && lower.includes(nameLower)) problems.push("must not contain your name");
  return problems.map((message) => ({ field: "password", message }));
}
