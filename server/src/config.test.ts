import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("config", () => {
  it("defaults to the embedded setup on port 4000", () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.migrateOnStart).toBe(true);
    expect(c.graphql.introspection).toBe(true);
    expect(c.allowedOrigins).toContain("http://localhost:4000");
    expect(c.dataDir).toMatch(/data$/);
  });

  it("with an external database, migrations are explicit and production hides introspection", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u@db:5432/concord", NODE_ENV: "production", PUBLIC_URL: "https://concord.example.org" });
    expect(c.migrateOnStart).toBe(false);
    expect(c.graphql.introspection).toBe(false);
    expect(c.cookieSecure).toBe(true);
    expect(c.allowedOrigins).toEqual(["https://concord.example.org"]);
  });

  it("fails fast naming every bad variable", () => {
    expect(() => loadConfig({ PORT: "seventy", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "seventy", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" });
    } catch (err) {
      const m = (err as Error).message;
      expect(m).toContain("PORT");
      expect(m).toContain("DATABASE_URL");
      expect(m).toContain("LOG_LEVEL");
    }
  });

  it("reads mail and single sign-on, never repeating a secret in a refusal", () => {
    expect(loadConfig({})).toMatchObject({ mail: null, sso: null, links: { invitationTtlMs: 7 * 86_400_000, passwordTtlMs: 72 * 3600_000 } });
    const c = loadConfig({ SMTP_URL: "smtp://u:pw@mail.example.org:587", PUBLIC_URL: "https://concord.example.org", OIDC_ISSUER: "https://idp.example.org/realms/x", OIDC_CLIENT_ID: "concord", CONCORD_SIGNUP: "closed" });
    expect(c.mail!.from).toBe("Concord <concord@concord.example.org>");
    expect(JSON.stringify(c)).not.toContain("pw@");
    expect(c.sso).toMatchObject({ issuer: "https://idp.example.org/realms/x", clientSecret: null, name: "Single sign-on", createAccounts: false, trustUnverifiedEmail: false });
    expect(loadConfig({ OIDC_ISSUER: "https://idp.example.org", OIDC_CLIENT_ID: "c" }).sso!.createAccounts).toBe(true);
    expect(() => loadConfig({ SMTP_URL: "http://u:hunter2@mail" })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: "http://u:hunter2@mail" })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ OIDC_ISSUER: "https://idp.example.org" })).toThrow(/OIDC_CLIENT_ID is missing/);
    expect(() => loadConfig({ OIDC_ISSUER: "http://idp.example.org", OIDC_CLIENT_ID: "c" })).toThrow(/OIDC_ISSUER/);
    expect(loadConfig({ OIDC_ISSUER: "http://127.0.0.1:9000", OIDC_CLIENT_ID: "c" }).sso!.issuer).toBe("http://127.0.0.1:9000");
    expect(() => loadConfig({ OIDC_ISSUER: "https://idp.example.org", OIDC_CLIENT_ID: "c", OIDC_SCOPES: "email profile" })).toThrow(/OIDC_SCOPES/);
  });

  it("reads the Redis namespace and the job lock, and refuses bad ones", () => {
    expect(loadConfig({})).toMatchObject({ redisPrefix: "concord", jobLockMs: 30_000 });
    expect(loadConfig({ CONCORD_REDIS_PREFIX: "concord-b", JOB_LOCK_MS: "2000" })).toMatchObject({ redisPrefix: "concord-b", jobLockMs: 2000 });
    expect(() => loadConfig({ CONCORD_REDIS_PREFIX: "a:b" })).toThrow(/CONCORD_REDIS_PREFIX/);
    expect(() => loadConfig({ JOB_LOCK_MS: "10" })).toThrow(/JOB_LOCK_MS/);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });
});
