import { Length, MaxLength } from "class-validator";
import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from "type-graphql";
import type { Role } from "../../access/roles.js";
import { IssuedLink, LinkStateEnum } from "../accounts/accounts.types.js";
import type { LinkState } from "../accounts/accounts.service.js";
import type { InvitationPreview as InvitationPreviewRow, InvitationRow } from "./invitations.service.js";
import { Member, RoleEnum } from "./projects.types.js";

@ObjectType({ description: "Someone invited into a project by e-mail address who has not accepted yet." })
export class Invitation {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) email: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => String, { nullable: true, description: "Who invited, while their account exists." }) invitedByName: string | null;
  @Field(() => LinkStateEnum, { description: "VALID or EXPIRED: accepted and withdrawn ones are not listed." }) state: LinkState;

  static from(r: InvitationRow): Invitation {
    return Object.assign(new Invitation(), {
      id: r.id,
      projectId: r.projectId,
      email: r.email,
      role: r.role,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
      invitedByName: r.invitedBy?.name ?? null,
      state: r.state,
    });
  }
}

@ObjectType({ description: "An address with an account not yet in the project is added at once (member); any other is invited (invitation and its link)." })
export class InvitationResult {
  @Field(() => Member, { nullable: true }) member: Member | null;
  @Field(() => Invitation, { nullable: true }) invitation: Invitation | null;
  @Field(() => IssuedLink, { nullable: true, description: "The invitation's link, shown this once." }) link: IssuedLink | null;
}

@ObjectType({ description: "What an invitation link's page shows to whoever holds it." })
export class InvitationPreview {
  @Field(() => String) projectName: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => String) email: string;
  @Field(() => String, { nullable: true }) invitedByName: string | null;
  @Field(() => GraphQLISODateTime) expiresAt: Date;
  @Field(() => LinkStateEnum) state: LinkState;
  @Field(() => Boolean, { description: "An account has the invited address: log in with it to accept." }) accountExists: boolean;

  static from(p: InvitationPreviewRow): InvitationPreview {
    return Object.assign(new InvitationPreview(), p);
  }
}

@ObjectType()
export class AcceptedInvitation {
  @Field(() => ID) projectId: string;
  @Field(() => RoleEnum, { description: "Your role in the project now (a member already keeps theirs)." }) role: Role;
}

@InputType()
export class InviteMemberInput {
  @Field(() => String) @MaxLength(254) email: string;
  @Field(() => RoleEnum) role: Role;
}

@InputType()
export class AcceptInvitationInput {
  @Field(() => String, { description: "The token at the end of the link." }) @MaxLength(200) token: string;
  @Field(() => String, { nullable: true, description: "Your name, when the invitation makes your account." })
  @Length(0, 100, { message: "must be 1 to 100 characters" })
  name?: string | null;
  @Field(() => String, { nullable: true, description: "Your password, when the invitation makes your account." })
  @MaxLength(256, { message: "must be at most 256 characters" })
  password?: string | null;
}
