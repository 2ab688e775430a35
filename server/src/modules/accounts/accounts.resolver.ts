import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { ApiToken, CreateApiTokenInput, CreatedApiToken, LogInInput, SignUpInput, User } from "./accounts.types.js";

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
}
