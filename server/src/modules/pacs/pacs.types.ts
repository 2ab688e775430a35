import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { StudyMatch } from "../../platform/dimse/client.js";
import type { DicomPeerEntity } from "./pacs.entity.js";
import type { EchoResult, RetrieveMethod } from "./pacs.service.js";

export const RetrieveMethodEnum = { GET: "GET", MOVE: "MOVE" } as const satisfies Record<RetrieveMethod, RetrieveMethod>;
registerEnumType(RetrieveMethodEnum, {
  name: "RetrieveMethod",
  description: "How instances come back from a PACS.",
  valuesConfig: {
    GET: { description: "C-GET: on the same association; works through firewalls, but the PACS must support C-GET." },
    MOVE: { description: "C-MOVE to this server's AE title: the PACS must know that AE title with this server's DICOM host and port." },
  },
});

@ObjectType({ description: "A PACS (or other DICOM node) of a project: studies can be found and retrieved from it, and what it sends to this server lands in the project." })
export class DicomPeer {
  @Field(() => ID) id: string;
  @Field(() => ID) projectId: string;
  @Field(() => String) name: string;
  @Field(() => String, { description: "The peer's application entity title: the called AE of our requests, and the calling AE its C-STOREs to us must use." })
  aeTitle: string;
  @Field(() => String) host: string;
  @Field(() => Int) port: number;
  @Field(() => GraphQLISODateTime) createdAt: Date;

  static from(e: DicomPeerEntity): DicomPeer {
    return Object.assign(new DicomPeer(), { id: e.id, projectId: e.projectId, name: e.name, aeTitle: e.aeTitle, host: e.host, port: e.port, createdAt: e.createdAt });
  }
}

@InputType()
export class DicomPeerInput {
  @Field(() => String, { description: "Unique in the project; up to 64 characters." }) name: string;
  @Field(() => String, { description: "1 to 16 characters, no backslash." }) aeTitle: string;
  @Field(() => String, { description: "Host name or IP address." }) host: string;
  @Field(() => Int, { description: "1 to 65535; 104 and 11112 are usual." }) port: number;
}

@ObjectType({ description: "The outcome of a C-ECHO." })
export class DicomEcho {
  @Field(() => Boolean) ok: boolean;
  @Field(() => Int, { description: "Round trip, connection included." }) millis: number;
  @Field(() => String, { description: "What the peer answered, or why it could not be reached." }) message: string;

  static from(r: EchoResult): DicomEcho {
    return Object.assign(new DicomEcho(), r);
  }
}

@InputType({ description: "C-FIND keys; those left out match everything. * and ? are wildcards in patientId and accessionNumber." })
export class PeerStudyQuery {
  @Field(() => String, { nullable: true }) patientId?: string | null;
  @Field(() => String, { nullable: true, description: "YYYYMMDD, or a range YYYYMMDD-YYYYMMDD with either end open." }) studyDate?: string | null;
  @Field(() => String, { nullable: true }) accessionNumber?: string | null;
  @Field(() => String, { nullable: true, description: "A modality in the study, such as CT or CR." }) modality?: string | null;
  @Field(() => Int, { nullable: true, description: "At most this many studies, 1 to 500; default 100." }) limit?: number | null;
}

@ObjectType({ description: "A study as the PACS describes it, with the PACS's own identifiers (not de-identified, never stored)." })
export class PeerStudy {
  @Field(() => String) studyInstanceUid: string;
  @Field(() => String, { nullable: true, description: "YYYYMMDD" }) studyDate: string | null;
  @Field(() => [String]) modalities: string[];
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => Int, { nullable: true }) numberOfInstances: number | null;

  static from(m: StudyMatch): PeerStudy {
    return Object.assign(new PeerStudy(), m);
  }
}
