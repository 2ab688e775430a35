import path from "node:path";
import { createPrivateKey, randomUUID } from "node:crypto";
import { EnglishMnemonic } from "@cosmjs/crypto";
import { z } from "zod";
import { addressList, DEFAULT_OUTBOUND_DENY, isAddressList, type OutboundRules } from "./platform/outbound.js";
import { isSecretsKey } from "./platform/secrets.js";

// The one place that reads the environment. Every variable here is documented in README.md.
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_URL: z.string().url().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  CONCORD_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1 to 64 letters, digits, '_', '.' or '-'")
    .default("concord"),
  JOB_LOCK_MS: int(1000, 3600_000).default(30_000),
  CONCORD_DATA_DIR: z.string().min(1).default("./data"),
  CONCORD_EMBEDDED_PG_PORT: int(0, 65535).default(0),
  CONCORD_INSTANCE_ID: z.string().min(1).optional(),
  CONCORD_SIGNUP: z.enum(["open", "closed"]).default("open"),
  // The message never repeats the value: the URL may hold the mail server's password.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "must be an smtp:// or smtps:// URL (not shown here)")
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(320).optional(),
  // Single sign-on with an OpenID Connect provider (Keycloak, Entra ID, Google Workspace, Okta...).
  OIDC_ISSUER: z
    .string()
    .url()
    .refine(isOidcIssuer, "must be an https:// URL (http:// only for localhost or 127.0.0.1)")
    .optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(400).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().trim().min(1).max(60).default("Single sign-on"),
  OIDC_SCOPES: z.string().trim().regex(/(^|\s)openid(\s|$)/, "must include openid").default("openid email profile"),
  OIDC_CREATE_ACCOUNTS: bool.optional(),
  OIDC_TRUST_UNVERIFIED_EMAIL: bool.default("false"),
  INVITATION_TTL_DAYS: int(1, 90).default(7),
  PASSWORD_LINK_TTL_HOURS: int(1, 24 * 30).default(72),
  CONCORD_MIGRATE_ON_START: bool.optional(),
  COOKIE_SECURE: bool.optional(),
  SESSION_TTL_HOURS: int(1, 24 * 365).default(24 * 7),
  TRUST_PROXY: z.string().default("false"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRAPHQL_MAX_DEPTH: int(2, 50).default(12),
  GRAPHQL_MAX_COMPLEXITY: int(10, 100_000).default(2000),
  GRAPHQL_MAX_ALIASES: int(0, 1000).default(30),
  GRAPHQL_MAX_TOKENS: int(100, 1_000_000).default(5000),
  GRAPHQL_INTROSPECTION: bool.optional(),
  UPLOAD_MAX_BYTES: int(1024, 64 * 1024 ** 3).default(1024 ** 3),
  INGEST_THREADS: int(1, 64).default(2),
  DICOM_PORT: int(0, 65535).default(0),
  DICOM_HOST: z.string().min(1).default("127.0.0.1"),
  DICOM_AET: z
    .string()
    .trim()
    .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, "must be 1 to 16 printable ASCII characters without a backslash")
    .default("CONCORD"),
  OUTBOUND_ALLOW: z.string().trim().refine(isAddressList, "must be IP addresses or CIDR ranges, separated by commas").optional(),
  OUTBOUND_DENY: z.string().trim().refine(isAddressList, "must be IP addresses or CIDR ranges, separated by commas").optional(),
  LOGIN_WINDOW_MINUTES: int(1, 24 * 60).default(15),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(1, 10_000).default(30),
  // The message never repeats the value.
  CONCORD_SECRETS_KEY: z
    .string()
    .refine(isSecretsKey, "must be 32 random bytes, as 64 hex digits or as base64 (e.g. from `openssl rand -base64 32`; not shown here)")
    .optional(),
  LEDGER_SIGNING_KEY: z.string().refine(isEd25519PrivateKey, "must be an Ed25519 private key, PEM or base64 PKCS#8").optional(),
  LEDGER_ANCHOR_EVERY_MS: int(10_000, 30 * 24 * 3600_000).default(3600_000),
  COSMOS_RPC_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, "must be the http(s):// URL of a CometBFT RPC endpoint")
    .optional(),
  // The message never repeats the value: a mnemonic is the account's private key.
  COSMOS_MNEMONIC: z.string().refine(isMnemonic, "must be a valid BIP-39 English mnemonic (12 to 24 words; not shown here)").optional(),
  COSMOS_CHAIN_ID: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,49}$/, "must be a chain id such as cosmoshub-4")
    .optional(),
  COSMOS_DENOM: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/, "must be a Cosmos SDK denomination such as uatom")
    .default("uatom"),
  COSMOS_FEE: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,30})$/, "must be a whole amount of COSMOS_DENOM")
    .default("5000"),
  COSMOS_GAS: int(10_000, 100_000_000).default(200_000),
  COSMOS_PREFIX: z
    .string()
    .regex(/^[a-z]{1,20}$/, "must be a lower-case bech32 prefix such as cosmos")
    .default("cosmos"),
});

function isMnemonic(text: string): boolean {
  try {
    new EnglishMnemonic(text.trim().split(/\s+/).join(" "));
    return true;
  } catch {
    return false;
  }
}

/** A value kept out of logs, JSON and inspection; read it with reveal(). */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return "[redacted]";
  }
  toString(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "Secret([redacted])";
  }
}

function isEd25519PrivateKey(text: string): boolean {
  try {
    const t = text.trim();
    const key = t.startsWith("-----BEGIN")
      ? createPrivateKey({ key: t, format: "pem" })
      : createPrivateKey({ key: Buffer.from(t, "base64"), format: "der", type: "pkcs8" });
    return key.asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof envSchema>;

/** Every variable Concord reads. */
export const ENV_VARS = Object.keys(envSchema.shape);

export interface Config {
  env: Env["NODE_ENV"];
  production: boolean;
  port: number;
  host: string;
  publicUrl: string;
  allowedOrigins: string[];
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Namespaces Redis channels (`<prefix>:`) and the job queue (`<prefix>-jobs`); servers and workers must share it. */
  redisPrefix: string;
  /** BullMQ's job lock and stalled-job check interval: a dead worker's job is retried about this long after it died. */
  jobLockMs: number;
  dataDir: string;
  embeddedPgPort: number;
  instanceId: string;
  signupOpen: boolean;
  /** E-mail for invitations and password links; null when SMTP_URL is unset (links are then shown to pass on). */
  mail: { smtpUrl: Secret; from: string } | null;
  /** Single sign-on with an OpenID Connect provider; null when OIDC_ISSUER is unset. */
  sso: {
    issuer: string;
    clientId: string;
    clientSecret: Secret | null;
    /** The log-in button's words. */
    name: string;
    scopes: string;
    /** Make an account on a first sign-on without one (default: as CONCORD_SIGNUP); an invited address always gets one. */
    createAccounts: boolean;
    /** Take the provider's e-mail address without email_verified (Entra ID sends none). */
    trustUnverifiedEmail: boolean;
  } | null;
  /** How long an invitation link, and a link to set a password, stay valid. */
  links: { invitationTtlMs: number; passwordTtlMs: number };
  migrateOnStart: boolean;
  cookieSecure: boolean;
  sessionTtlMs: number;
  trustProxy: boolean | number | string;
  logLevel: Env["LOG_LEVEL"];
  graphql: {
    maxDepth: number;
    maxComplexity: number;
    maxAliases: number;
    maxTokens: number;
    introspection: boolean;
  };
  login: { windowMs: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number };
  uploads: { maxBytes: number; ingestThreads: number };
  /** Our DICOM application entity: the storage SCP (off when port is 0) and the AE title of our requests. */
  dicom: { port: number; host: string; aeTitle: string };
  /** Where connections named by users (DICOMweb stores, DICOM peers) may go. */
  outbound: OutboundRules;
  /** The key that encrypts credentials stored for other systems (external stores); unset: generated into the data dir. */
  secrets: { key: Secret | undefined };
  /** The tamper-evident ledger: its tree-head signing key (unset: generated into the data dir). */
  ledger: { signingKey: string | undefined; origin: string; anchorEveryMs: number };
  /** Anchoring signed heads on a Cosmos SDK chain (and payouts); null when COSMOS_RPC_URL is unset. */
  cosmos: {
    rpcUrl: string;
    mnemonic: Secret;
    chainId: string;
    denom: string;
    prefix: string;
    fee: { amount: string; gas: string };
  } | null;
}

export class ConfigError extends Error {}

function isOidcIssuer(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
  } catch {
    return false;
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset, so `FOO= concord start` means "use the default".
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.COSMOS_RPC_URL && (!e.COSMOS_MNEMONIC || !e.COSMOS_CHAIN_ID)) {
    const missing = [!e.COSMOS_MNEMONIC && "COSMOS_MNEMONIC", !e.COSMOS_CHAIN_ID && "COSMOS_CHAIN_ID"].filter(Boolean).join(" and ");
    throw new ConfigError(`Invalid configuration:\n  COSMOS_RPC_URL is set (anchoring is on), but ${missing} ${missing.includes(" and ") ? "are" : "is"} missing`);
  }
  if (e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) {
    throw new ConfigError("Invalid configuration:\n  OIDC_ISSUER is set (single sign-on is on), but OIDC_CLIENT_ID is missing");
  }
  const production = e.NODE_ENV === "production";
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  const allowedOrigins = new Set<string>([new URL(publicUrl).origin]);
  if (!e.PUBLIC_URL) {
    allowedOrigins.add(`http://127.0.0.1:${e.PORT}`);
    allowedOrigins.add(`http://[::1]:${e.PORT}`);
  }
  for (const o of (e.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    allowedOrigins.add(new URL(o).origin);
  }
  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    allowedOrigins: [...allowedOrigins],
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.CONCORD_REDIS_PREFIX,
    jobLockMs: e.JOB_LOCK_MS,
    dataDir: path.resolve(e.CONCORD_DATA_DIR),
    embeddedPgPort: e.CONCORD_EMBEDDED_PG_PORT,
    instanceId: e.CONCORD_INSTANCE_ID ?? randomUUID(),
    signupOpen: e.CONCORD_SIGNUP === "open",
    mail: e.SMTP_URL ? { smtpUrl: new Secret(e.SMTP_URL), from: e.MAIL_FROM ?? `Concord <concord@${new URL(publicUrl).hostname}>` } : null,
    sso: e.OIDC_ISSUER && e.OIDC_CLIENT_ID
      ? {
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET ? new Secret(e.OIDC_CLIENT_SECRET) : null,
          name: e.OIDC_NAME,
          scopes: e.OIDC_SCOPES,
          createAccounts: e.OIDC_CREATE_ACCOUNTS ?? e.CONCORD_SIGNUP === "open",
          trustUnverifiedEmail: e.OIDC_TRUST_UNVERIFIED_EMAIL,
        }
      : null,
    links: { invitationTtlMs: e.INVITATION_TTL_DAYS * 86_400_000, passwordTtlMs: e.PASSWORD_LINK_TTL_HOURS * 3600_000 },
    // Embedded mode owns its database, so it migrates on start; an external database migrates explicitly.
    migrateOnStart: e.CONCORD_MIGRATE_ON_START ?? !e.DATABASE_URL,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith("https:"),
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      introspection: e.GRAPHQL_INTROSPECTION ?? !production,
    },
    uploads: { maxBytes: e.UPLOAD_MAX_BYTES, ingestThreads: e.INGEST_THREADS },
    dicom: { port: e.DICOM_PORT, host: e.DICOM_HOST, aeTitle: e.DICOM_AET },
    outbound: { allow: e.OUTBOUND_ALLOW ? addressList(e.OUTBOUND_ALLOW) : null, deny: e.OUTBOUND_DENY !== undefined ? addressList(e.OUTBOUND_DENY) : DEFAULT_OUTBOUND_DENY },
    secrets: { key: e.CONCORD_SECRETS_KEY !== undefined ? new Secret(e.CONCORD_SECRETS_KEY) : undefined },
    // The checkpoint origin names the log by the address users know it by.
    ledger: { signingKey: e.LEDGER_SIGNING_KEY, origin: `${new URL(publicUrl).host}/ledger`, anchorEveryMs: e.LEDGER_ANCHOR_EVERY_MS },
    cosmos:
      e.COSMOS_RPC_URL && e.COSMOS_MNEMONIC && e.COSMOS_CHAIN_ID
        ? {
            rpcUrl: e.COSMOS_RPC_URL,
            mnemonic: new Secret(e.COSMOS_MNEMONIC.trim().split(/\s+/).join(" ")),
            chainId: e.COSMOS_CHAIN_ID,
            denom: e.COSMOS_DENOM,
            prefix: e.COSMOS_PREFIX,
            fee: { amount: e.COSMOS_FEE, gas: String(e.COSMOS_GAS) },
          }
        : null,
    login: {
      windowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    },
  };
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v; // express accepts a comma-separated list of addresses/subnets
}
