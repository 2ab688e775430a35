import { parse as parseCookies, serialize } from "cookie";
import { Router, type Request } from "express";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { FLOW_TTL_MS, type SsoService } from "../modules/accounts/sso.service.js";
import { cookieJar } from "./auth.js";

const FLOW_COOKIE = "concord_sso";

/**
 * Single sign-on's two browser steps: /auth/sso/login sends the browser to the provider (the flow
 * sealed in a short-lived cookie, only for /auth/sso), and /auth/sso/callback comes back with the
 * code, opens a session and goes where the sign-on began. A refusal goes to the log-in page with
 * its reason (`?sso_error=`).
 */
export function ssoRouter(sso: SsoService, config: Config, log: Logger): Router {
  const router = Router();
  const flowCookie = (value: string, maxAge: number) =>
    serialize(FLOW_COOKIE, value, { httpOnly: true, sameSite: "lax", secure: config.cookieSecure, path: "/auth/sso", maxAge });
  const refused = (err: unknown) => {
    const message = err instanceof AppError ? err.message : "The sign-on failed; try again";
    if (!(err instanceof AppError)) log.error({ err: (err as Error).message }, "sso: unexpected failure");
    return `/login?sso_error=${encodeURIComponent(message)}`;
  };

  router.get("/login", async (req, res) => {
    try {
      const { url, flow } = await sso.start(req.query.returnTo);
      res.append("Set-Cookie", flowCookie(flow, FLOW_TTL_MS / 1000));
      res.redirect(302, url);
    } catch (err) {
      res.redirect(302, refused(err));
    }
  });

  router.get("/callback", async (req: Request, res) => {
    res.append("Set-Cookie", flowCookie("", 0));
    try {
      const sealed = parseCookies(req.headers.cookie ?? "")[FLOW_COOKIE];
      // The URL the provider redirected to, as registered (PUBLIC_URL), with what it added.
      const callback = new URL(`${config.publicUrl}${req.originalUrl.replace(/^\/+/, "/")}`);
      const { token, expiresAt, returnTo } = await sso.finish(callback, sealed, req.headers["user-agent"]?.slice(0, 300) || null);
      cookieJar(config, (v) => res.append("Set-Cookie", v)).setSession(token, expiresAt);
      res.redirect(302, returnTo);
    } catch (err) {
      res.redirect(302, refused(err));
    }
  });
  return router;
}
