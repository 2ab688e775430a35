import { IsEmail, IsInt, IsOptional, Length, Max, MaxLength, Min } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from "type-graphql";
import type { ApiTokenEntity, UserEntity } from "./accounts.entity.js";

@ObjectType({ description: "A person with an account." })
export class User {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => String) email: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;

  static from(e: UserEntity): User {
    return Object.assign(new User(), { id: e.id, name: e.name, email: e.email, createdAt: e.createdAt });
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
