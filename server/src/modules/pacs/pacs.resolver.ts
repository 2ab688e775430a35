import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { UploadBatch } from "../cases/uploads.types.js";
import type { RetrieveMethod } from "./pacs.service.js";
import { DicomEcho, DicomPeer, DicomPeerInput, PeerStudy, PeerStudyQuery, RetrieveMethodEnum } from "./pacs.types.js";

@Resolver(() => DicomPeer)
export class PacsResolver {
  @Query(() => [DicomPeer], { description: "The project's PACS peers; for those who may upload to it." })
  async dicomPeers(@Arg("projectId", () => ID) projectId: string, @Ctx() ctx: Context): Promise<DicomPeer[]> {
    return (await ctx.services.pacs.peers(ctx.actor, projectId)).map(DicomPeer.from);
  }

  @Mutation(() => DicomPeer, { description: "Registers a PACS; its C-STOREs to this server then land in the project, uploaded in your name." })
  async addDicomPeer(
    @Arg("projectId", () => ID) projectId: string,
    @Arg("input", () => DicomPeerInput) input: DicomPeerInput,
    @Ctx() ctx: Context,
  ): Promise<DicomPeer> {
    return DicomPeer.from(await ctx.services.pacs.addPeer(ctx.actor, projectId, input));
  }

  @Mutation(() => Boolean, { description: "Forgets a PACS; what was retrieved from it stays." })
  removeDicomPeer(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.pacs.removePeer(ctx.actor, id);
  }

  @Mutation(() => DicomEcho, { description: "C-ECHO: can this server talk to the PACS?" })
  async echoDicomPeer(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<DicomEcho> {
    return DicomEcho.from(await ctx.services.pacs.echo(ctx.actor, id));
  }

  @Query(() => [PeerStudy], { description: "C-FIND at study level on the PACS." })
  async findStudiesOnPeer(
    @Arg("id", () => ID) id: string,
    @Arg("query", () => PeerStudyQuery, { nullable: true }) query: PeerStudyQuery | null,
    @Ctx() ctx: Context,
  ): Promise<PeerStudy[]> {
    return (await ctx.services.pacs.findStudies(ctx.actor, id, query ?? {})).map(PeerStudy.from);
  }

  @Mutation(() => UploadBatch, { description: "Retrieves a study from the PACS into the project, de-identified like any upload; answers when it is ingested." })
  async retrieveFromPeer(
    @Arg("id", () => ID) id: string,
    @Arg("studyInstanceUid", () => String) studyInstanceUid: string,
    @Arg("method", () => RetrieveMethodEnum, { defaultValue: "GET" }) method: RetrieveMethod,
    @Ctx() ctx: Context,
  ): Promise<UploadBatch> {
    const { batch, results } = await ctx.services.pacs.retrieve(ctx.actor, id, studyInstanceUid, method);
    return UploadBatch.from(batch, results);
  }
}
