import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { PresenceEventKind, PresenceEventPayload, Pointer, PresentUser } from "./presence.service.js";

export const PresenceEventKindEnum = { PRESENCE: "PRESENCE", ACCESS_REVOKED: "ACCESS_REVOKED" } as const satisfies { [K in PresenceEventKind]: K };
registerEnumType(PresenceEventKindEnum, {
  name: "PresenceEventKind",
  description: "PRESENCE: who is on the case now. ACCESS_REVOKED: you may no longer see the case; the stream ends.",
});

@InputType({ description: "Where a user's pointer is on the case's image, in image pixels." })
export class PointerInput {
  @Field(() => Float) x: number;
  @Field(() => Float) y: number;
  @Field(() => String, { nullable: true, description: "The image of a series case the pointer is on." }) sopInstanceUid?: string | null;
  @Field(() => Int, { nullable: true, description: "1-based frame of a multi-frame image." }) frame?: number | null;
}

@ObjectType({ description: "A user's pointer on the case's image, in image pixels." })
export class CasePointer {
  @Field(() => Float) x: number;
  @Field(() => Float) y: number;
  @Field(() => String, { nullable: true }) sopInstanceUid: string | null;
  @Field(() => Int, { nullable: true }) frame: number | null;
}

@ObjectType("PresentUser", { description: "Someone on a case." })
export class PresentUserType {
  @Field(() => ID) userId: string;
  @Field(() => String) name: string;
  @Field(() => String, { description: "The colour to draw them in (#rrggbb), the same everywhere." }) colour: string;
  @Field(() => CasePointer, {
    nullable: true,
    description: "Their pointer; null when they have none on the image, or when you may not see others' work on the case (blind reading).",
  })
  pointer: CasePointer | null;
  @Field(() => GraphQLISODateTime, { description: "Server clock at their last beat." }) lastSeen: Date;
}

@ObjectType({ description: "Who is on a case." })
export class CasePresenceEvent {
  @Field(() => PresenceEventKindEnum) kind: PresenceEventKind;
  @Field(() => ID) caseId: string;
  @Field(() => [PresentUserType], { description: "Everyone present, sorted by user id; empty for ACCESS_REVOKED." }) users: PresentUserType[];

  static from(p: PresenceEventPayload): CasePresenceEvent {
    return Object.assign(new CasePresenceEvent(), {
      kind: p.kind,
      caseId: p.caseId,
      users: p.users.map((u: PresentUser) =>
        Object.assign(new PresentUserType(), { ...u, pointer: u.pointer ? Object.assign(new CasePointer(), u.pointer satisfies Pointer) : null }),
      ),
    });
  }
}
