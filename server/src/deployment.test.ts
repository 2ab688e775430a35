import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ENV_VARS, loadConfig } from "./config.js";
import { repoRoot } from "./paths.js";

// docker-compose cannot run on our CI machines, so it is kept honest by reading it.
const root = repoRoot();
const compose = parse(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, { command?: string[] | string; environment?: Record<string, string>; image?: string; build?: string }>;
};
const COMMANDS = ["start", "migrate", "worker"];

describe("docker-compose.yml", () => {
  const concordServices = Object.entries(compose.services).filter(([, s]) => s.image === "concord:latest");

  it("has the deployment the design describes", () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(["postgres", "redis", "orthanc", "migrate", "server-1", "server-2", "workers", "proxy"]),
    );
    expect(concordServices.map(([n]) => n).sort()).toEqual(["migrate", "server-1", "server-2", "workers"]);
  });

  it("runs only commands the concord CLI has, with configuration it accepts", () => {
    for (const [name, s] of concordServices) {
      const command = Array.isArray(s.command) ? s.command[0] : s.command?.split(" ")[0];
      expect(COMMANDS, name).toContain(command);
      const env = s.environment ?? {};
      for (const key of Object.keys(env)) expect(ENV_VARS, `${name}: ${key}`).toContain(key);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{(\w+):-([^}]*)\}/g, "$2")]));
      const config = loadConfig(resolved);
      expect(config.databaseUrl, name).toMatch(/@postgres:5432\//);
      expect(config.redisUrl, name).toBe("redis://redis:6379");
      expect(config.host).toBe("0.0.0.0");
    }
  });

  it("points the proxy at every server replica on the port they listen on", () => {
    const nginx = fs.readFileSync(path.join(root, "deploy", "nginx.conf"), "utf8");
    for (const [name, s] of concordServices.filter(([n]) => n.startsWith("server-"))) {
      expect(nginx).toContain(`server ${name}:${s.environment?.PORT}`);
    }
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });

  it("gives each replica its own instance id", () => {
    const ids = concordServices.filter(([n]) => n.startsWith("server-")).map(([, s]) => s.environment?.CONCORD_INSTANCE_ID);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("README.md", () => {
  it("documents every environment variable", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    for (const name of ENV_VARS) expect(readme, name).toContain(`| \`${name}\` |`);
  });
});
