import type { UploadProgressPayload } from "../images/images.service.js";
import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import type { UploadBatchEntity, UploadResultEntity, UploadResultStatus, UploadSource, UploadStatus } from "../images/images.entity.js";
import { enumOf } from "../../graphql/enums.js";

export const UploadStatusEnum = enumOf<UploadStatus>(["RUNNING", "DONE", "FAILED"]);
registerEnumType(UploadStatusEnum, { name: "UploadStatus" });

export const UploadSourceEnum = enumOf<UploadSource>(["GRAPHQL", "STOW", "DIMSE", "DICOMWEB"]);
registerEnumType(UploadSourceEnum, { name: "UploadSource", description: "How the files came in." });

export const UploadResultStatusEnum = enumOf<UploadResultStatus>(["STORED", "DUPLICATE", "REFUSED", "IGNORED"]);
registerEnumType(UploadResultStatusEnum, {
  name: "UploadResultStatus",
  valuesConfig: {
    STORED: { description: "Stored; an image also became a case." },
    DUPLICATE: { description: "Already in the project; the first copy is kept." },
    REFUSED: { description: "Not stored; the message says why." },
    IGNORED: { description: "Read but not an image to store (a DICOMDIR, for one)." },
  },
});

@ObjectType({ description: "What became of one file of an upload." })
export class UploadResult {
  @Field(() => Int, { description: "The file's place in the upload, from 0." }) position: number;
  @Field(() => String) fileName: string;
  @Field(() => UploadResultStatusEnum) status: UploadResultStatus;
  @Field(() => String, { nullable: true }) message: string | null;

  static from(e: UploadResultEntity): UploadResult {
    return Object.assign(new UploadResult(), { position: e.position, fileName: e.fileName, status: e.status, message: e.message });
  }
}

@ObjectType({ description: "One upload of files into a project, with a result per file." })
export class UploadBatch {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => UploadStatusEnum) status: UploadStatus;
  @Field(() => UploadSourceEnum) source: UploadSource;
  @Field(() => Int, { description: "Files in the upload." }) total: number;
  @Field(() => Int, { description: "Files stored, duplicates included." }) stored: number;
  @Field(() => Int) refused: number;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt: Date | null;
  /** Loaded with the batch when the service already has them; otherwise by the field resolver. */
  preloadedResults: UploadResult[] | null;

  static from(e: UploadBatchEntity, results: UploadResultEntity[] | null = null): UploadBatch {
    return Object.assign(new UploadBatch(), {
      id: e.id,
      projectId: e.projectId,
      status: e.status,
      source: e.source,
      total: e.total,
      stored: e.stored,
      refused: e.refused,
      createdAt: e.createdAt,
      finishedAt: e.finishedAt,
      preloadedResults: results?.map(UploadResult.from) ?? null,
    });
  }
}

@ObjectType({ description: "How far an upload has got while the server processes it (after its bytes arrived)." })
export class UploadProgress {
  @Field(() => ID) uploadId: string;
  @Field(() => Int, { description: "Files in the upload (archives counted by their entries)." }) total: number;
  @Field(() => Int, { description: "Files done: stored, duplicate, refused or ignored." }) processed: number;
  @Field(() => Int) stored: number;
  @Field(() => Int) refused: number;
  @Field(() => Boolean, { description: "The upload has ended; its report is the uploadBatch query." }) done: boolean;

  static from(p: UploadProgressPayload): UploadProgress {
    return Object.assign(new UploadProgress(), { uploadId: p.uploadId, total: p.total, processed: p.processed, stored: p.stored, refused: p.refused, done: p.done });
  }
}
