import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { ExternalStore, ExternalStoreInput } from "./store.types.js";

@Resolver(() => ExternalStore)
export class ExternalStoreResolver {
  @Query(() => ExternalStore, { nullable: true, description: "The project's external DICOMweb store, or null when it uses the local store; for project managers." })
  async externalStore(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<ExternalStore | null> {
    const store = await ctx.services.images.externalStores.get(ctx.actor, projectId);
    return store ? ExternalStore.from(store) : null;
  }

  @Mutation(() => ExternalStore, {
    description: "Keeps the project's future uploads in an external DICOMweb store. The store is asked a QIDO-RS query first; settings it does not answer are refused.",
  })
  async setExternalStore(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => ExternalStoreInput) input: ExternalStoreInput,
    @Ctx() ctx: Context,
  ): Promise<ExternalStore> {
    return ExternalStore.from(await ctx.services.images.externalStores.set(ctx.actor, projectId, input));
  }

  @Mutation(() => Boolean, {
    description: "Future uploads go to the local store again. Instances already in the external store stay there; true if a store was configured.",
  })
  async clearExternalStore(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.images.externalStores.clear(ctx.actor, projectId);
  }
}
