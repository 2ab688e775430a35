import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AccountsResolver } from "../modules/accounts/accounts.resolver.js";
import { AiResolver } from "../modules/ai/ai.resolver.js";
import { AnnotationSettingsResolver, AnnotationsResolver } from "../modules/annotations/annotations.resolver.js";
import { AssignmentsResolver, CaseAssignmentsResolver } from "../modules/assignments/assignments.resolver.js";
import { DeletionsResolver } from "../modules/deletions/deletions.resolver.js";
import { CasesResolver } from "../modules/cases/cases.resolver.js";
import { CollabResolver } from "../modules/collab/collab.resolver.js";
import { PresenceResolver } from "../modules/collab/presence.resolver.js";
import { UploadsResolver } from "../modules/cases/uploads.resolver.js";
import { ExternalStoreResolver } from "../modules/images/store.resolver.js";
import { EducationResolver } from "../modules/education/education.resolver.js";
import { ExportsResolver } from "../modules/exports/exports.resolver.js";
import { SrImportResolver } from "../modules/exports/sr-import.resolver.js";
import { LedgerAnchorResolver } from "../modules/ledger/anchor.resolver.js";
import { LedgerResolver } from "../modules/ledger/ledger.resolver.js";
import { PacsResolver } from "../modules/pacs/pacs.resolver.js";
import { ProjectsResolver } from "../modules/projects/projects.resolver.js";
import { InvitationsResolver } from "../modules/projects/invitations.resolver.js";
import { RewardsResolver } from "../modules/rewards/epochs.resolver.js";
import { ReviewResolver } from "../modules/review/review.resolver.js";
import { rejectNulCharacters } from "./input-guard.js";

export const resolvers = [AccountsResolver, ProjectsResolver, InvitationsResolver, CasesResolver, UploadsResolver, ExternalStoreResolver, PacsResolver, AnnotationsResolver, AnnotationSettingsResolver, AssignmentsResolver, CaseAssignmentsResolver, DeletionsResolver, CollabResolver, PresenceResolver, LedgerResolver, LedgerAnchorResolver, ExportsResolver, AiResolver, SrImportResolver, RewardsResolver, ReviewResolver, EducationResolver] as const;

let built: Promise<GraphQLSchema> | null = null;

/** The executable schema, built once per process from the resolvers. */
export function getSchema(): Promise<GraphQLSchema> {
  return (built ??= buildSchema({
    resolvers: [...resolvers],
    validate: { forbidUnknownValues: false },
    globalMiddlewares: [rejectNulCharacters],
    emitSchemaFile: false,
    // Every subscription brings its own `subscribe` (access checks, then the bus); type-graphql's
    // topic-based pub/sub is never used, but it insists on having one.
    pubSub: {
      publish: () => {
        throw new Error("publish through the platform bus, not type-graphql's pubSub");
      },
      subscribe: () => {
        throw new Error("subscriptions declare their own subscribe function");
      },
    },
  }));
}

/** The SDL committed as schema/schema.graphql: sorted, so the file changes only when the API does. */
export async function printedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await getSchema())) + "\n";
}
