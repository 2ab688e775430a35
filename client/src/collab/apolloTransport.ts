import type { ApolloClient } from "@apollo/client/core";
import { CollabSyncDocument, CollabUpdateDocument, CollabUpdatesDocument } from "../generated/graphql";
import { fromBase64, toBase64 } from "./base64";
import { CollabRefused, type CollabTransport } from "./provider";

interface ApolloLikeError {
  graphQLErrors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Codes that mean the server is having trouble, not that it said no: worth retrying. */
const TRANSIENT = new Set(["INTERNAL_SERVER_ERROR", "RATE_LIMITED", "SERVICE_UNAVAILABLE"]);

/** A GraphQL error the server meant (not found, invalid, conflict) becomes CollabRefused; the network stays as it is. */
export function classifyError(err: unknown): unknown {
  const e = (err ?? {}) as ApolloLikeError;
  const first = e.graphQLErrors?.[0] ?? e.errors?.[0];
  if (!first) return err;
  const code = typeof first.extensions?.code === "string" ? first.extensions.code : null;
  return code && TRANSIENT.has(code) ? err : new CollabRefused(first.message, code);
}

/** Collaboration documents over our GraphQL API: the query, the mutation and the subscription. */
export function apolloTransport(client: ApolloClient<unknown>): CollabTransport {
  return {
    subscribe(ref, exceptClientId, s) {
      const sub = client
        .subscribe({ query: CollabUpdatesDocument, variables: { caseId: ref.caseId, layer: ref.layer, exceptClientId }, fetchPolicy: "no-cache" })
        .subscribe({
          next: (r) => {
            if (r.errors?.length) return s.failed(classifyError({ errors: r.errors }));
            const event = r.data?.collabUpdates;
            if (!event) return;
            if (event.kind === "ACCESS_REVOKED") s.revoked();
            else if (event.update) s.update(fromBase64(event.update));
          },
          error: (err) => s.failed(classifyError(err)),
          complete: () => s.failed(new Error("the update stream ended")),
        });
      return () => sub.unsubscribe();
    },

    async sync(ref, stateVector) {
      try {
        const r = await client.query({
          query: CollabSyncDocument,
          variables: { caseId: ref.caseId, layer: ref.layer, stateVector: toBase64(stateVector) },
          fetchPolicy: "no-cache",
        });
        return { update: fromBase64(r.data.collabSync.update), stateVector: fromBase64(r.data.collabSync.stateVector) };
      } catch (err) {
        throw classifyError(err);
      }
    },

    async send(ref, update, clientId) {
      try {
        await client.mutate({ mutation: CollabUpdateDocument, variables: { caseId: ref.caseId, layer: ref.layer, update: toBase64(update), clientId }, fetchPolicy: "no-cache" });
      } catch (err) {
        throw classifyError(err);
      }
    },
  };
}
