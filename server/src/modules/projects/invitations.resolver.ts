import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { IssuedLink } from "../accounts/accounts.types.js";
import { AcceptedInvitation, AcceptInvitationInput, Invitation, InvitationPreview, InvitationResult, InviteMemberInput } from "./invitations.types.js";
import { Member } from "./projects.types.js";

@Resolver()
export class InvitationsResolver {
  @Mutation(() => InvitationResult, {
    description:
      "Invites an e-mail address into the project with a role (members.grant; only owners invite owners). An account not yet a member is added at once; an address without one gets a one-time link, e-mailed when a mail server is set.",
  })
  async inviteMember(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => InviteMemberInput) input: InviteMemberInput,
    @Ctx() ctx: Context,
  ): Promise<InvitationResult> {
    const r = await ctx.services.invitations.invite(ctx.actor, projectId, input.email, input.role);
    return Object.assign(new InvitationResult(), {
      member: r.member ? Member.from(r.member) : null,
      invitation: r.invitation ? Invitation.from(r.invitation) : null,
      link: r.link ? IssuedLink.from(r.link) : null,
    });
  }

  @Query(() => [Invitation], { description: "The project's invitations not yet accepted nor withdrawn, newest first (members.view)." })
  async projectInvitations(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<Invitation[]> {
    return (await ctx.services.invitations.list(ctx.actor, projectId)).map(Invitation.from);
  }

  @Mutation(() => Boolean, { description: "Withdraws an invitation: its link stops working (members.grant)." })
  revokeInvitation(@Arg("projectId", () => ID) projectId: string, @Arg("invitationId", () => ID) invitationId: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.invitations.revoke(ctx.actor, projectId, invitationId);
  }

  @Query(() => InvitationPreview, { nullable: true, description: "An invitation link's project, role and state, for whoever holds it; null when the token names none." })
  async invitation(@Arg("token", () => String) token: string, @Ctx() ctx: Context): Promise<InvitationPreview | null> {
    const p = await ctx.services.invitations.preview(token);
    return p ? InvitationPreview.from(p) : null;
  }

  @Mutation(() => AcceptedInvitation, {
    description:
      "Accepts an invitation, once: logged in, as the account of the invited address; otherwise makes that account with the name and password given (sign-up closed or not) and logs it in.",
  })
  async acceptInvitation(@Arg("input", () => AcceptInvitationInput) input: AcceptInvitationInput, @Ctx() ctx: Context): Promise<AcceptedInvitation> {
    const r = await ctx.services.invitations.accept(input.token, input, ctx);
    return Object.assign(new AcceptedInvitation(), r);
  }
}
