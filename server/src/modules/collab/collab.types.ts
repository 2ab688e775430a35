import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { encodeBase64 } from "./collab.document.js";
import type { CollabAckResult, CollabEventKind, CollabEventPayload, CollabSyncResult } from "./collab.service.js";

export const CollabEventKindEnum = { UPDATE: "UPDATE", ACCESS_REVOKED: "ACCESS_REVOKED" } as const satisfies { [K in CollabEventKind]: K };
registerEnumType(CollabEventKindEnum, {
  name: "CollabEventKind",
  description: "UPDATE: another client's update. ACCESS_REVOKED: you may no longer read this layer; the stream ends.",
});

const LAYER = `"consensus", or "reader:<user id>" (that reader's own regions).`;

@ObjectType({ description: "What a client lacks of a collaboration document, for the state vector it sent." })
export class CollabSync {
  @Field(() => ID) caseId: string;
  @Field(() => String, { description: LAYER }) layer: string;
  @Field(() => String, { description: "base64 of a Yjs update (v1): apply it with Y.applyUpdate." }) update: string;
  @Field(() => String, { description: "base64 of the server's Yjs state vector: send the server what it lacks (Y.encodeStateAsUpdate(doc, it))." })
  stateVector: string;

  static from(r: CollabSyncResult): CollabSync {
    return Object.assign(new CollabSync(), { caseId: r.caseId, layer: r.layer, update: encodeBase64(r.update), stateVector: encodeBase64(r.stateVector) });
  }
}

@ObjectType({ description: "An update stored durably: it survives a restart and has been sent to the document's subscribers." })
export class CollabAck {
  @Field(() => ID) caseId: string;
  @Field(() => String) layer: string;
  @Field(() => ID, { description: "Where the update lies in the document's log." }) updateId: string;

  static from(r: CollabAckResult): CollabAck {
    return Object.assign(new CollabAck(), r);
  }
}

// Resolved once per subscriber per update: plain property reads (simpleResolvers), without the global
// middleware's wrapper, which only looks at the arguments of root fields anyway.
@ObjectType({ description: "An update to a collaboration document, as stored.", simpleResolvers: true })
export class CollabUpdateEvent {
  @Field(() => CollabEventKindEnum) kind: CollabEventKind;
  @Field(() => ID) caseId: string;
  @Field(() => String) layer: string;
  @Field(() => String, { nullable: true, description: "base64 of a Yjs update (v1); null for ACCESS_REVOKED." }) update: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The clientId the writer sent, so a client can drop its own echo; null when unknown (several updates merged for a slow subscriber).",
  })
  clientId: string | null;

  static from(p: CollabEventPayload): CollabUpdateEvent {
    return Object.assign(new CollabUpdateEvent(), p);
  }
}
