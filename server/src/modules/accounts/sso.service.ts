import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Config } from "../../config.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../platform/database/index.js";
import type { SecretBox } from "../../platform/secrets.js";
import type { LedgerService } from "../ledger/ledger.service.js";
import { AccountsRepository } from "./accounts.repository.js";
import { emailProblems, normaliseEmail, type AccountsService } from "./accounts.service.js";
import { hashPassword } from "./passwords.js";

/** What the browser carries between leaving for the provider and coming back: sealed, so only this server reads it. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  at: number;
}

const FLOW_CONTEXT = "sso-flow";
/** A sign-on must come back within this long. */
export const FLOW_TTL_MS = 10 * 60_000;
export const SSO_CALLBACK_PATH = "/auth/sso/callback";

/** Where to go after signing on: a path of this app ("/…"), never another site ("//host", "/\\host"). */
export function safeReturnTo(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) && value.length <= 500 ? value : "/projects";
}

/**
 * Single sign-on with an OpenID Connect provider (authorization code with PKCE, state and nonce;
 * openid-client). A sign-on finds the account linked to the provider's subject; the first one links
 * the account with the provider's (verified) e-mail address, or makes it when that is allowed
 * (OIDC_CREATE_ACCOUNTS, or an open invitation to the address). A disabled account is refused.
 */
export class SsoService {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly sso: NonNullable<Config["sso"]>,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly secrets: SecretBox,
    private readonly log: Logger,
  ) {}

  /** The provider's configuration, discovered once (again after a failure). */
  private provider(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const insecure = new URL(this.sso.issuer).protocol === "http:";
      this.discovered = oidc
        .discovery(new URL(this.sso.issuer), this.sso.clientId, this.sso.clientSecret?.reveal(), undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
        .catch((err: unknown) => {
          this.discovered = null;
          this.log.warn({ err: (err as Error).message }, "sso: the OpenID Connect provider could not be discovered");
          throw new AppError("SSO_FAILED", `${this.sso.name} cannot be reached now; try again later`);
        });
    }
    return this.discovered;
  }

  /** The provider's authorization URL to send the browser to, and the sealed flow for its cookie. */
  async start(returnTo: unknown): Promise<{ url: string; flow: string }> {
    const config = await this.provider();
    const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), returnTo: safeReturnTo(returnTo), at: Date.now() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${this.config.publicUrl}${SSO_CALLBACK_PATH}`,
      scope: this.sso.scopes,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
    });
    return { url: url.href, flow: this.secrets.seal(JSON.stringify(flow), FLOW_CONTEXT) };
  }

  /**
   * Completes a sign-on from the provider's redirect: the session to open, and where to go.
   * Every refusal is an AppError whose message can be shown to the person signing on.
   */
  async finish(callbackUrl: URL, sealedFlow: string | undefined, userAgent: string | null): Promise<{ token: string; expiresAt: Date; returnTo: string }> {
    const flow = this.openFlow(sealedFlow);
    const config = await this.provider();
    const providerError = callbackUrl.searchParams.get("error");
    if (providerError) throw new AppError("SSO_FAILED", `${this.sso.name} refused: ${callbackUrl.searchParams.get("error_description") ?? providerError}`.slice(0, 300));
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      claims = { ...tokens.claims()! };
      // Providers may keep the address and name for the userinfo endpoint.
      if (typeof claims.email !== "string" && tokens.access_token) claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "sso: the sign-on could not be completed");
      throw new AppError("SSO_FAILED", `The sign-on with ${this.sso.name} could not be completed; try again`);
    }
    const userId = await this.accountFor(String(claims.iss ?? this.sso.issuer), String(claims.sub), claims);
    const session = await this.db.tx((em) => this.accounts.openSession(new AccountsRepository(em), userId, userAgent));
    return { ...session, returnTo: flow.returnTo };
  }

  private openFlow(sealed: string | undefined): Flow {
    let flow: Flow | null = null;
    try {
      flow = sealed ? (JSON.parse(this.secrets.open(sealed, FLOW_CONTEXT)) as Flow) : null;
    } catch {
      flow = null;
    }
    if (!flow || Date.now() - flow.at > FLOW_TTL_MS) throw new AppError("SSO_FAILED", "The sign-on took too long or began in another browser; start it again");
    return flow;
  }

  /** The account of this identity: linked already, linked now by its e-mail address, or made now. */
  private async accountFor(issuer: string, subject: string, claims: Record<string, unknown>): Promise<string> {
    const email = typeof claims.email === "string" ? normaliseEmail(claims.email) : null;
    const verified = claims.email_verified === true || claims.email_verified === "true" || this.sso.trustUnverifiedEmail;
    return this.db.tx(async (em) => {
      const repo = new AccountsRepository(em);
      let userId = await repo.userOfIdentity(issuer, subject);
      if (!userId) {
        if (!email || emailProblems(email).length) throw new AppError("SSO_FAILED", `${this.sso.name} gave no e-mail address; ask your administrator to release it to Concord`);
        if (!verified) throw new AppError("SSO_FAILED", `${this.sso.name} did not confirm that ${email} is verified`);
        const existing = await repo.findUserByEmail(email);
        if (existing) {
          userId = existing.id;
        } else if (this.sso.createAccounts || (await repo.openInvitationFor(email))) {
          const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 100) : email.split("@")[0]!;
          // Nobody knows this password: the account signs on, or gets a password link from an administrator.
          const unusable = await hashPassword(randomBytes(32).toString("base64url"));
          userId = (await this.accounts.insertSelfMadeAccount(em, { email, name, passwordHash: unusable }, "sso")).id;
        } else {
          throw new AppError("SSO_FAILED", `No Concord account has ${email}; ask a project manager for an invitation`);
        }
        await repo.linkIdentity(userId, issuer, subject);
        await this.ledger.record(em, { type: "user.identity", actorId: userId, projectId: null, objectId: userId, change: { userId, issuer } });
      }
      const user = await repo.findUserById(userId);
      if (!user || user.disabledAt) throw new AppError("SSO_FAILED", "This account is disabled; ask an administrator of this server");
      return userId;
    });
  }
}
