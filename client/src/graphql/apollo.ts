import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, split } from "@apollo/client/core";
import { onError } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient, type Client } from "graphql-ws";
import { imageFirstLink } from "./imageFirst";

// Queries and mutations go over HTTP POST (the server's CSRF prevention refuses simple GETs);
// subscriptions over graphql-ws on the same path. The browser sends the session cookie on both.
const httpLink = new HttpLink({ uri: "/graphql", credentials: "same-origin" });

function wsUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}

interface Realtime {
  client: Client;
  link: GraphQLWsLink;
}

function openRealtime(): Realtime {
  // lazy: the socket opens with the first subscription and closes after the last one.
  const client = createClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: 5,
    on: {
      // Events sent while the socket was down are lost; refetch what the pages show instead.
      connected: (_socket, _payload, wasRetry) => {
        if (wasRetry) void apollo.refetchQueries({ include: "active" });
      },
    },
  });
  return { client, link: new GraphQLWsLink(client) };
}

// The socket authenticates once, at its handshake; after logging in or out a new one must be opened.
let realtime = openRealtime();
const wsLink = new ApolloLink((operation) => realtime.link.request(operation));

let onUnauthenticated: (() => void) | null = null;

/** Called when the server says the session is gone (expired or logged out elsewhere). */
export function handleUnauthenticated(callback: () => void): void {
  onUnauthenticated = callback;
}

const errorLink = onError(({ graphQLErrors, operation }) => {
  // A failed log-in also answers UNAUTHENTICATED; only other operations mean the session ended.
  if (operation.operationName === "LogIn") return;
  if (graphQLErrors?.some((e) => e.extensions?.code === "UNAUTHENTICATED")) onUnauthenticated?.();
});

const isSubscription = ({ query }: { query: Parameters<typeof getMainDefinition>[0] }) => {
  const definition = getMainDefinition(query);
  return definition.kind === "OperationDefinition" && definition.operation === "subscription";
};

export const apollo = new ApolloClient({
  link: ApolloLink.from([errorLink, imageFirstLink, split(isSubscription, wsLink, httpLink)]),
  cache: new InMemoryCache({
    typePolicies: {
      // Labels and members arrive as whole lists; the newest list replaces the cached one.
      Project: { fields: { labels: { merge: false } } },
      // A page of accounts has no id of its own; a newer answer for the same search replaces it.
      AccountPage: { merge: true },
      Query: { fields: { projectMembers: { merge: false }, myProjects: { merge: false } } },
    },
  }),
  defaultOptions: {
    watchQuery: { fetchPolicy: "cache-and-network" },
  },
});

/** After logging in: the next subscription opens a new socket, which carries the new cookie. */
export async function reconnectRealtime(): Promise<void> {
  const old = realtime;
  realtime = openRealtime();
  await old.client.dispose();
}
