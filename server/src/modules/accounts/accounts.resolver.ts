import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import {
  Account,
  AccountPage,
  AccountSession,
  ApiToken,
  ChangePasswordInput,
  CreateAccountInput,
  CreateApiTokenInput,
  CreatedAccount,
  CreatedApiToken,
  Instance,
  IssuedLink,
  LogInInput,
  PasswordLink,
  SetPasswordInput,
  SignUpInput,
  UpdateProfileInput,
  User,
} from "./accounts.types.js";

@Resolver()
export class AccountsResolver {
  @Query(() => User, { nullable: true, description: "The logged-in user, or null." })
  async me(@Ctx() ctx: Context): Promise<User | null> {
    const user = await ctx.services.accounts.me(ctx.actor);
    return user ? User.from(user) : null;
  }

  @Mutation(() => User, { description: "Creates an account and logs it in (session cookie)." })
  async signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: Context): Promise<User> {
    return User.from(await ctx.services.accounts.signUp(input, ctx));
  }

  @Mutation(() => User, { description: "Logs in with e-mail and password (session cookie). Rate-limited." })
  async logIn(@Arg("input", () => LogInInput) input: LogInInput, @Ctx() ctx: Context): Promise<User> {
    return User.from(await ctx.services.accounts.logIn(input.email, input.password, ctx));
  }

  @Mutation(() => Boolean, { description: "Ends the current session." })
  logOut(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.accounts.logOut(ctx);
  }

  @Query(() => [ApiToken], { description: "Your API tokens that are not revoked." })
  async apiTokens(@Ctx() ctx: Context): Promise<ApiToken[]> {
    return (await ctx.services.accounts.apiTokens(ctx.actor)).map(ApiToken.from);
  }

  @Mutation(() => CreatedApiToken)
  async createApiToken(
    @Arg("input", () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiToken> {
    const { token, apiToken } = await ctx.services.accounts.createApiToken(ctx.actor, input.name, input.expiresInDays);
    return Object.assign(new CreatedApiToken(), { token, apiToken: ApiToken.from(apiToken) });
  }

  @Mutation(() => Boolean)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.accounts.revokeApiToken(ctx.actor, id);
  }

  @Query(() => Instance)
  instance(@Ctx() ctx: Context): Instance {
    return Object.assign(new Instance(), ctx.services.accounts.instance());
  }

  @Mutation(() => User, { description: "Changes your name." })
  async updateProfile(@Arg("input", () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: Context): Promise<User> {
    return User.from(await ctx.services.accounts.updateProfile(ctx.actor, input.name));
  }

  @Mutation(() => Int, {
    description:
      "Changes your password after checking the current one (wrong ones count as failed log-ins) and ends your other sessions; answers how many ended.",
  })
  changePassword(@Arg("input", () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.accounts.changePassword(ctx.actor, input.currentPassword, input.newPassword, ctx);
  }

  @Query(() => [AccountSession], { description: "Your browser sessions that have not ended, most recently used first." })
  async mySessions(@Ctx() ctx: Context): Promise<AccountSession[]> {
    return (await ctx.services.accounts.sessions(ctx.actor)).map((s) => AccountSession.from(s, ctx.actor?.sessionId));
  }

  @Mutation(() => Boolean, { description: "Ends one of your sessions." })
  revokeSession(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.accounts.revokeSession(ctx.actor, id);
  }

  @Mutation(() => Int, { description: "Ends all your sessions but this one; answers how many ended." })
  logOutOtherSessions(@Ctx() ctx: Context): Promise<number> {
    return ctx.services.accounts.logOutOtherSessions(ctx.actor);
  }

  @Mutation(() => Boolean, {
    description:
      "Forgot your password: e-mails a one-time link to set a new one to the account with this address, if there is one. Answers true whatever the case (it tells nobody which addresses have accounts); rate-limited as log-ins. Needs a mail server (Instance.mailEnabled).",
  })
  requestPasswordLink(@Arg("email", () => String) email: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.accounts.requestPasswordLink(email, ctx);
  }

  @Query(() => PasswordLink, { nullable: true, description: "A password link's account and state; null when the token names none." })
  async passwordLink(@Arg("token", () => String) token: string, @Ctx() ctx: Context): Promise<PasswordLink | null> {
    const found = await ctx.services.accounts.passwordLink(token);
    return found ? Object.assign(new PasswordLink(), { email: found.user.email, name: found.user.name, expiresAt: found.link.expiresAt, state: found.state }) : null;
  }

  @Mutation(() => User, { description: "Sets a password with a one-time link; ends the account's sessions and logs this one in." })
  async setPasswordWithLink(@Arg("input", () => SetPasswordInput) input: SetPasswordInput, @Ctx() ctx: Context): Promise<User> {
    return User.from(await ctx.services.accounts.setPasswordWithLink(input.token, input.password, ctx));
  }

  // ---- the server's administrators

  @Query(() => AccountPage, { description: "The server's accounts by e-mail address, a page at a time (administrators)." })
  async accounts(
    @Arg("search", () => String, { nullable: true, description: "Part of an address or a name." }) search: string | null,
    @Arg("first", () => Int, { nullable: true, description: "At most 200; 50 by default." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<AccountPage> {
    const page = await ctx.services.admin.accounts(ctx.actor, search, first, after);
    return Object.assign(new AccountPage(), { nodes: page.rows.map(Account.from), total: page.total, nextCursor: page.nextCursor });
  }

  @Mutation(() => CreatedAccount, { description: "Makes an account whose owner sets the password by a one-time link (administrators); works with sign-up closed." })
  async createAccount(@Arg("input", () => CreateAccountInput) input: CreateAccountInput, @Ctx() ctx: Context): Promise<CreatedAccount> {
    const { account, link } = await ctx.services.admin.createAccount(ctx.actor, input);
    return Object.assign(new CreatedAccount(), { account: Account.from(account), link: IssuedLink.from(link) });
  }

  @Mutation(() => Account, {
    description:
      "Disables an account (it cannot log in; its sessions end, its API tokens and password links are revoked) or enables it again (administrators).",
  })
  async setAccountDisabled(
    @Arg("userId", () => ID) userId: string,
    @Arg("disabled", () => Boolean) disabled: boolean,
    @Ctx() ctx: Context,
  ): Promise<Account> {
    return Account.from(await ctx.services.admin.setDisabled(ctx.actor, userId, disabled));
  }

  @Mutation(() => Account, { description: "Makes an account an administrator of the server, or takes that back (administrators); the last one stays." })
  async setAccountAdmin(@Arg("userId", () => ID) userId: string, @Arg("admin", () => Boolean) admin: boolean, @Ctx() ctx: Context): Promise<Account> {
    return Account.from(await ctx.services.admin.setAdmin(ctx.actor, userId, admin));
  }

  @Mutation(() => IssuedLink, { description: "A one-time link for an account's owner to set a new password; earlier links stop working (administrators)." })
  async issuePasswordLink(@Arg("userId", () => ID) userId: string, @Ctx() ctx: Context): Promise<IssuedLink> {
    return IssuedLink.from(await ctx.services.admin.issuePasswordLink(ctx.actor, userId));
  }
}
