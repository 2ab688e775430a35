import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { DicomwebClient } from "./dicomweb/client.js";
import { DimseClient } from "./dimse/client.js";
import { DEFAULT_OUTBOUND_DENY, OutboundPolicy, setOutboundPolicy } from "./outbound.js";

describe("the outbound policy", () => {
  it("refuses link-local (cloud metadata) and 0.0.0.0/8 by default, and allows the rest", () => {
    const p = new OutboundPolicy({ allow: null, deny: DEFAULT_OUTBOUND_DENY });
    expect(p.refusal("169.254.169.254")).toMatch(/OUTBOUND_DENY/);
    expect(p.refusal("fe80::1")).toMatch(/OUTBOUND_DENY/);
    expect(p.refusal("0.0.0.0")).toMatch(/OUTBOUND_DENY/);
    for (const ok of ["127.0.0.1", "10.1.2.3", "192.0.2.7", "::1", "2001:db8::5"]) expect(p.refusal(ok)).toBeNull();
  });

  it("with an allow list, only its addresses; a deny entry wins over an allow entry", () => {
    const p = new OutboundPolicy({ allow: ["10.0.0.0/8", "192.0.2.7"], deny: ["10.9.0.0/16"] });
    expect(p.refusal("10.1.2.3")).toBeNull();
    expect(p.refusal("192.0.2.7")).toBeNull();
    expect(p.refusal("192.0.2.8")).toMatch(/not in OUTBOUND_ALLOW/);
    expect(p.refusal("10.9.1.1")).toMatch(/OUTBOUND_DENY/);
  });

  it("checks a name by what it resolves to, keeping only the allowed addresses", async () => {
    expect(await new OutboundPolicy({ allow: ["127.0.0.0/8"], deny: [] }).resolve("localhost")).toEqual(expect.arrayContaining(["127.0.0.1"]));
    await expect(new OutboundPolicy({ allow: null, deny: ["127.0.0.0/8", "::1"] }).resolve("localhost")).rejects.toThrow(/connections to localhost are not allowed/);
    await expect(new OutboundPolicy({ allow: null, deny: [] }).resolve("[::1]")).resolves.toEqual(["::1"]);
  });

  it("is read from OUTBOUND_ALLOW and OUTBOUND_DENY, refusing what is not an address or range", () => {
    expect(loadConfig({}).outbound).toEqual({ allow: null, deny: DEFAULT_OUTBOUND_DENY });
    expect(loadConfig({ OUTBOUND_ALLOW: "10.0.0.0/8, 192.0.2.7", OUTBOUND_DENY: "10.9.0.0/16" }).outbound).toEqual({ allow: ["10.0.0.0/8", "192.0.2.7"], deny: ["10.9.0.0/16"] });
    expect(() => loadConfig({ OUTBOUND_ALLOW: "pacs.example.org" })).toThrow(ConfigError);
    expect(() => loadConfig({ OUTBOUND_DENY: "10.0.0.0/33" })).toThrow(/OUTBOUND_DENY/);
  });
});

describe("connections named by users go through it", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/dicom+json" }).end("[]"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => setOutboundPolicy({ allow: null, deny: DEFAULT_OUTBOUND_DENY }));

  it("a DICOMweb store: refused by address and by name when the policy says so, allowed otherwise", async () => {
    // Refusals first: a kept connection to the same host and port would be reused without a lookup
    // (the policy is set once at start in a server; only this test changes it).
    const byAddress = new DicomwebClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
    const byName = new DicomwebClient({ baseUrl: `http://localhost:${port}`, timeoutMs: 5000 });
    setOutboundPolicy({ allow: ["192.0.2.0/24"], deny: [] });
    await expect(byAddress.probe()).rejects.toThrow(/connections to 127\.0\.0\.1 are not allowed: 127\.0\.0\.1 is not in OUTBOUND_ALLOW/);
    await expect(byName.probe()).rejects.toThrow(/connections to localhost are not allowed/);
    setOutboundPolicy({ allow: null, deny: DEFAULT_OUTBOUND_DENY });
    await expect(new DicomwebClient({ baseUrl: "http://169.254.169.254/latest", timeoutMs: 5000 }).probe()).rejects.toThrow(/169\.254\.169\.254 is in OUTBOUND_DENY/);
    await byAddress.probe();
    setOutboundPolicy({ allow: ["127.0.0.1"], deny: [] });
    await byName.probe();
  });

  it("a DICOM peer: refused before any association is tried", async () => {
    const dimse = new DimseClient("CONCORD");
    await expect(dimse.echo({ aeTitle: "META", host: "169.254.169.254", port: 104 })).rejects.toThrow(/169\.254\.169\.254 is in OUTBOUND_DENY/);
    setOutboundPolicy({ allow: ["192.0.2.0/24"], deny: [] });
    await expect(dimse.echo({ aeTitle: "PACS", host: "localhost", port: 104 })).rejects.toThrow(/connections to localhost are not allowed/);
  });
});
