import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A person the test identity provider knows: their claims, as a provider releases them. */
export interface OidcPerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * A real OpenID Connect provider (oidc-provider, the certified implementation) on loopback, for
 * single sign-on tests. Its login and consent steps sign on whoever `signOnAs` names, without a
 * form: a browser that follows its redirects gets a code for that person. Its development-only
 * signing keys and in-memory storage, and its Node 20 runtime warning, are fine for a test.
 */
export async function startOidcProvider(opts: { port: number; clientId: string; clientSecret: string; redirectUri: string }) {
  const people = new Map<string, OidcPerson>();
  let current: string | null = null;
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: opts.clientId, client_secret: opts.clientSecret, redirect_uris: [opts.redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // As most providers do by default: the address and name come from the userinfo endpoint, not the ID token.
    conformIdTokenClaims: true,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ["concord-test-oidc-cookie-key"] },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ ...person }) };
    },
  });
  const callback = provider.callback();
  const server = http.createServer((req, res) => {
    if (!req.url?.startsWith("/interaction/")) return callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        await provider.interactionFinished(req, res, { login: { accountId: current! } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, "127.0.0.1", resolve));
  return {
    issuer,
    port: (server.address() as AddressInfo).port,
    add(person: OidcPerson) {
      people.set(person.sub, person);
    },
    signOnAs(sub: string) {
      current = sub;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A browser's part in a sign-on: follows redirects across Concord and the provider, keeping each
 * origin's cookies, from `start` until a response that is not a redirect to either, or one back to
 * Concord outside /auth/sso. Answers that last URL and Concord's cookies.
 */
export async function followSignOn(start: string, concordOrigin: string, cookies = new Map<string, Map<string, string>>()) {
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    const jar = cookies.get(url.origin) ?? new Map<string, string>();
    cookies.set(url.origin, jar);
    const res = await fetch(url, { redirect: "manual", headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), "user-agent": "SignOnTest/1.0" } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return { url, status: res.status, cookies };
    url = new URL(location, url);
    if (url.origin === concordOrigin && !url.pathname.startsWith("/auth/sso/")) return { url, status: res.status, cookies };
  }
  throw new Error("too many redirects");
}
