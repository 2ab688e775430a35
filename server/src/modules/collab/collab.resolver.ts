import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { SHARED_RESULT } from "../../graphql/shared-events.js";
import type { Context } from "../../context.js";
import type { CollabEventPayload } from "./collab.service.js";
import { CollabAck, CollabSync, CollabUpdateEvent } from "./collab.types.js";

const LAYER = `"consensus", or "reader:<user id>".`;

@Resolver()
export class CollabResolver {
  @Query(() => CollabSync, {
    description:
      "Syncs a collaboration document (one per case and layer): the update your state vector lacks, and the server's state vector. Subscribe to collabUpdates first, then sync.",
  })
  async collabSync(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("layer", () => String, { description: LAYER }) layer: string,
    @Arg("stateVector", () => String, { nullable: true, description: "base64 of your Yjs state vector; omit it to get the whole document." }) stateVector: string | null,
    @Ctx() ctx: Context,
  ): Promise<CollabSync> {
    return CollabSync.from(await ctx.services.collab.sync(ctx.actor, caseId, layer, stateVector));
  }

  @Mutation(() => CollabAck, {
    description:
      "Applies your Yjs update to a collaboration document. Answers once it is stored durably; an update to your own reader layer is also written into your draft's ROIs, and refused when they would be invalid.",
  })
  async collabUpdate(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("layer", () => String, { description: LAYER }) layer: string,
    @Arg("update", () => String, { description: "base64 of a Yjs update (v1), at most 1 MiB." }) update: string,
    @Arg("clientId", () => String, { nullable: true, description: "Your client's id, sent back with the update to subscribers so you can drop your own echo." })
    clientId: string | null,
    @Ctx() ctx: Context,
  ): Promise<CollabAck> {
    return CollabAck.from(await ctx.services.collab.update(ctx.actor, caseId, layer, update, clientId));
  }

  // The event is the stored update as is: who receives it is the stream's decision (access, echo);
  // what this field answers for it is the same for every subscriber, so it executes once per event.
  @Extensions({ [SHARED_RESULT]: true })
  @Subscription(() => CollabUpdateEvent, {
    description:
      "Updates to a collaboration document as they are stored, from every server replica. Ends with ACCESS_REVOKED when you may no longer read the layer.",
    subscribe: ({ args, context }) =>
      (context as Context).services.collab.updates(
        (context as Context).actor,
        args.caseId as string,
        args.layer as string,
        (args.exceptClientId as string | null | undefined) ?? null,
      ),
  })
  collabUpdates(
    @Arg("caseId", () => ID) _caseId: string,
    @Arg("layer", () => String, { description: LAYER }) _layer: string,
    @Arg("exceptClientId", () => String, { nullable: true, description: "Leave out updates sent with this clientId (your own)." }) _except: string | null,
    @Root() payload: CollabEventPayload,
  ): CollabUpdateEvent {
    return CollabUpdateEvent.from(payload);
  }
}
