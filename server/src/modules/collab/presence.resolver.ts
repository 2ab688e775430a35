import { Arg, Ctx, ID, Mutation, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../context.js";
import type { PresenceEventPayload } from "./presence.service.js";
import { CasePresenceEvent, PointerInput } from "./presence.types.js";

@Resolver()
export class PresenceResolver {
  @Mutation(() => Boolean, {
    description:
      "Says you are on the case, with your pointer (or none): send it every 2 s or so and on pointer moves (throttled). Without a beat for 6 s you are gone.",
  })
  async presenceBeat(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("pointer", () => PointerInput, { nullable: true }) pointer: PointerInput | null,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.presence.beat(ctx.actor, caseId, pointer);
  }

  @Mutation(() => Boolean, { description: "Says you have left the case: others see you gone at once." })
  async presenceLeave(@Arg("caseId", () => ID) caseId: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.presence.leave(ctx.actor, caseId);
  }

  @Subscription(() => CasePresenceEvent, {
    description:
      "Who is on a case, from every server replica: the current set at once, then again whenever someone comes, moves their pointer or goes. Ends with ACCESS_REVOKED when you may no longer see the case.",
    subscribe: ({ args, context }) => (context as Context).services.presence.updates((context as Context).actor, args.caseId as string),
  })
  casePresence(@Arg("caseId", () => ID) _caseId: string, @Root() payload: PresenceEventPayload): CasePresenceEvent {
    return CasePresenceEvent.from(payload);
  }
}
