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
