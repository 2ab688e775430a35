import { IsEmail, IsInt, IsOptional, Length, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { enumOf } from "../../graphql/enums.js";
import type { ApiTokenEntity, SessionEntity, UserEntity } from "./accounts.entity.js";
import type { AccountRow } from "./accounts.repository.js";
import type { LinkState } from "./accounts.service.js";
import type { IssuedLink as IssuedLinkRow } from "./links.js";

export const LinkStateEnum = enumOf<LinkState>(["VALID", "EXPIRED", "USED", "WITHDRAWN"]);
registerEnumType(LinkStateEnum, { name: "LinkState", description: "Where a one-time link (an invitation, a password link) stands." });

@ObjectType({ description: "A person with an account." })
export class User {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String) email: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => Boolean, { description: "Administers this server's accounts. Grants nothing inside any project." }) admin: boolean;
  @Field(() => Boolean, { description: "The account is disabled: it cannot log in." }) disabled: boolean;

  static from(e: UserEntity): User {
    return Object.assign(new User(), { id: e.id, name: e.name, email: e.email, createdAt: e.createdAt, admin: e.admin, disabled: !!e.disabledAt });
  }
}

@ObjectType({ description: "A bearer token for external tools. The secret is shown once, at creation." })
export class ApiToken {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String, { description: "The token's first characters, to tell tokens apart." }) prefix: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt: Date | null;

  static from(e: ApiTokenEntity): ApiToken {
    return Object.assign(new ApiToken(), {
      id: e.id,
      name: e.name,
      prefix: e.prefix,
      createdAt: e.createdAt,
      lastUsedAt: e.lastUsedAt,
      expiresAt: e.expiresAt,
    });
  }
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => String, { description: "Send as `Authorization: Bearer <token>`. Not retrievable later." }) token: string;
  @Field(() => ApiToken) apiToken: ApiToken;
}

@InputType()
export class SignUpInput {
  @Field(() => String) @IsEmail({}, { message: "is not a valid e-mail address" }) @MaxLength(254) email: string;
  @Field(() => String) @MaxLength(256, { message: "must be at most 256 characters" }) password: string;
  @Field(() => String) @Length(1, 100, { message: "must be 1 to 100 characters" }) name: string;
}

@InputType()
export class LogInInput {
  @Field(() => String) @MaxLength(254) email: string;
  @Field(() => String) @MaxLength(256) password: string;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => String) @Length(1, 100, { message: "must be 1 to 100 characters" }) name: string;
  @Field(() => Int, { nullable: true, description: "Days until the token expires; omit for no expiry." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: "must be at least 1" })
  @Max(3650, { message: "must be at most 3650" })
  expiresInDays?: number | null;
}

@ObjectType({ description: "How this server is set up, for its pages; anyone may ask." })
export class Instance {
  @Field(() => Boolean, { description: "Anyone may make an account (CONCORD_SIGNUP=open); closed, accounts come from invitations and administrators." }) signupOpen: boolean;
  @Field(() => Boolean, { description: "Invitations and password links are e-mailed (SMTP_URL is set); otherwise they are shown to pass on." }) mailEnabled: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "Single sign-on's name (OIDC_NAME) when it is on (OIDC_ISSUER): open /auth/sso/login?returnTo=<path> to sign on; a refusal comes back to /login?sso_error=<reason>.",
  })
  ssoName: string | null;
}

@ObjectType({ description: "One of your browser sessions." })
export class AccountSession {
  @Field(() => ID) id: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { description: "Last request, to within five minutes." }) lastSeenAt: Date;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => String, { nullable: true, description: "The browser's User-Agent when the session began." }) userAgent: string | null;
  @Field(() => Boolean, { description: "The session this request came with." }) current: boolean;

  static from(s: SessionEntity, currentId: string | undefined): AccountSession {
    return Object.assign(new AccountSession(), {
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent,
      current: s.id === currentId,
    });
  }
}

@ObjectType({ description: "An account as the server's administrators see it." })
export class Account {
  @Field(() => ID) id: string;
  @Field(() => String) email: string;
  @Field(() => String) name: string;
  @Field(() => Boolean) admin: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Set while the account cannot log in." }) disabledAt: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Last request of any of its sessions that have not ended." }) lastSeenAt: Date | null;
  @Field(() => Int, { description: "Projects it is a member of." }) projects: number;

  static from(r: AccountRow): Account {
    return Object.assign(new Account(), r);
  }
}

@ObjectType()
export class AccountPage {
  @Field(() => [Account]) nodes: Account[];
  @Field(() => Int, { description: "Accounts matching the search, on all pages." }) total: number;
  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last." }) nextCursor: string | null;
}

@ObjectType({ description: "A one-time link just made. Its URL is shown this once; only a hash of it is kept." })
export class IssuedLink {
  @Field(() => String) url: string;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => Boolean, { description: "The mail server accepted it for the address." }) emailed: boolean;
  @Field(() => String, { nullable: true, description: "Why it was not e-mailed, when a mail server is set; pass the link on yourself." }) emailError: string | null;

  static from(l: IssuedLinkRow): IssuedLink {
    return Object.assign(new IssuedLink(), l);
  }
}

@ObjectType()
export class CreatedAccount {
  @Field(() => Account) account: Account;
  @Field(() => IssuedLink, { description: "For the account's owner to set a password." }) link: IssuedLink;
}

@ObjectType({ description: "What a password link's page shows." })
export class PasswordLink {
  @Field(() => String) email: string;
  @Field(() => String) name: string;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => LinkStateEnum) state: LinkState;
}

@InputType()
export class UpdateProfileInput {
  @Field(() => String) @Length(1, 100, { message: "must be 1 to 100 characters" }) name: string;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String) @MaxLength(256) currentPassword: string;
  @Field(() => String) @MaxLength(256, { message: "must be at most 256 characters" }) newPassword: string;
}

@InputType()
export class SetPasswordInput {
  @Field(() => String, { description: "The token at the end of the link." }) @MaxLength(200) token: string;
  @Field(() => String) @MaxLength(256, { message: "must be at most 256 characters" }) password: string;
}

@InputType()
export class CreateAccountInput {
  @Field(() => String) @MaxLength(254) email: string;
  @Field(() => String) @Length(1, 100, { message: "must be 1 to 100 characters" }) name: string;
  @Field(() => Boolean, { nullable: true, description: "Make it an administrator of the server too." }) admin?: boolean | null;
}
