import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import type { ExternalStoreAuthKind } from "./store.repository.js";
import type { ExternalStoreView } from "./store.service.js";

export const ExternalStoreAuthEnum = { NONE: "NONE", BASIC: "BASIC", BEARER: "BEARER" } as const satisfies { [K in ExternalStoreAuthKind]: K };
registerEnumType(ExternalStoreAuthEnum, {
  name: "ExternalStoreAuth",
  description: "How Concord authenticates to an external store.",
  valuesConfig: {
    NONE: { description: "No credentials." },
    BASIC: { description: "HTTP Basic: username and secret (the password)." },
    BEARER: { description: "Authorization: Bearer with the secret (a token)." },
  },
});

@ObjectType({
  description:
    "A project's external DICOMweb store: uploads are de-identified by Concord, then stored there (STOW-RS) instead of the local store; Concord keeps the index and serves them, with its own access checks.",
})
export class ExternalStore {
  @Field(() => ID) projectId: string;
  @Field(() => String, { description: "The DICOMweb service root, e.g. https://pacs.example.org/dicom-web." }) baseUrl: string;
  @Field(() => ExternalStoreAuthEnum) auth: ExternalStoreAuthKind;
  @Field(() => String, { nullable: true, description: "For BASIC authentication." }) username: string | null;
  @Field(() => Boolean, { description: "Whether a secret is stored; the secret itself is never returned." }) hasSecret: boolean;
  @Field(() => GraphQLISODateTime) updatedAt: Date;

  static from(v: ExternalStoreView): ExternalStore {
    return Object.assign(new ExternalStore(), {
      projectId: v.projectId,
      baseUrl: v.baseUrl,
      auth: v.auth,
      username: v.username,
      hasSecret: v.hasSecret,
      updatedAt: v.updatedAt,
    });
  }
}

@InputType()
export class ExternalStoreInput {
  @Field(() => String, { description: "The DICOMweb service root (http or https); checked with a QIDO-RS query before it is saved." })
  baseUrl: string;
  @Field(() => ExternalStoreAuthEnum, { defaultValue: "NONE" }) auth: ExternalStoreAuthKind;
  @Field(() => String, { nullable: true, description: "For BASIC authentication." }) username?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The password (BASIC) or token (BEARER). Omit it to keep the stored one while the authentication kind and the store's origin (scheme, host, port) stay the same; a store at another origin needs it given again.",
  })
  secret?: string | null;
}
