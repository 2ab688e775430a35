import { createHash, randomBytes } from "node:crypto";

// Session and API tokens are random; only their SHA-256 is stored, so a database leak grants nothing.
export const newSessionToken = () => randomBytes(32).toString("base64url");
export const newApiToken = () => `cct_${randomBytes(32).toString("base64url")}`;
export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
export const API_TOKEN_PREFIX_LENGTH = 12;
