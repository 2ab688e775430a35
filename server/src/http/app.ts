import { ApolloServer, type BaseContext } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import helmet from "helmet";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { WebSocketServer } from "ws";
import type { Config } from "../config.js";
import type { Context } from "../context.js";
import type { Logger } from "../logger.js";
import type { Platform, Services } from "../services.js";
import { createFormatError } from "../graphql/format-error.js";
import { assertComplexity, validationRules } from "../graphql/hardening.js";
import { subscribeSharing } from "../graphql/shared-events.js";
import { ssoRouter } from "./sso.js";
import { cookieJar, credentialsOf, originAllowed } from "./auth.js";
import { dicomwebRouter } from "../modules/images/dicomweb.routes.js";
import { exportRouter } from "../modules/annotations/export.routes.js";
import { exportJobsRouter } from "../modules/exports/exports.routes.js";
import { aiRouter, modelFilesRouter } from "../modules/ai/ai.routes.js";

export interface HttpServer {
  server: http.Server;
  close(): Promise<void>;
}

export async function createHttpServer(
  p: Platform,
  services: Services,
  schema: GraphQLSchema,
  clientDir: string | null,
): Promise<HttpServer> {
  const { config, log } = p;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  const server = http.createServer(app);

  const limits = config.graphql;
  const rules = validationRules(limits);
  const formatError = createFormatError(log);

  // graphql-ws on the same port and path as HTTP GraphQL.
  const wss = new WebSocketServer({
    server,
    path: "/graphql",
    maxPayload: 1024 * 1024,
    verifyClient: ({ origin }, done) => (originAllowed(config, origin) ? done(true) : done(false, 403, "Origin not allowed")),
  });
  const wsServer = useServer<Record<string, unknown>, { request: http.IncomingMessage }>(
    {
      schema,
      // Events of fields marked SHARED_RESULT execute once per event and selection, not per subscriber.
      subscribe: subscribeSharing,
      onConnect: async (ctx) => {
        const creds = credentialsOf(ctx.extra.request.headers, ctx.connectionParams);
        // Credentials that do not authenticate close the socket; no credentials means anonymous.
        if (creds.presented && !(await services.accounts.authenticate(creds.sessionToken, creds.bearer))) return false;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (err) {
          return [err as GraphQLError];
        }
        const errors = validate(schema, document, [...specifiedRules, ...rules]);
        if (errors.length) return errors;
        try {
          assertComplexity(schema, document, payload.variables ?? undefined, payload.operationName, limits.maxComplexity);
        } catch (err) {
          return [err as GraphQLError];
        }
        const creds = credentialsOf(ctx.extra.request.headers, ctx.connectionParams);
        const contextValue: Context = {
          actor: await services.accounts.authenticate(creds.sessionToken, creds.bearer),
          ip: ctx.extra.request.socket.remoteAddress ?? "unknown",
          userAgent: null,
          cookies: null,
          services,
        };
        const args: ExecutionArgs = {
          schema,
          document,
          contextValue,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
        };
        return args;
      },
      // Results sent over the socket carry their errors through the same mask as HTTP responses.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!("errors" in result) || !result.errors?.length) return undefined;
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        // Execution errors are formatted like HTTP ones: no internals to the client.
        return errors.map((e) => {
          const f = formatError(e.toJSON(), e);
          return new GraphQLError(f.message, { extensions: f.extensions ?? {} });
        });
      },
    },
    wss,
  );

  const apollo = new ApolloServer<Context & BaseContext>({
    schema,
    introspection: limits.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: rules,
    formatError,
    logger: { debug: () => {}, info: () => {}, warn: (m: unknown) => log.warn({ apollo: String(m) }), error: (m: unknown) => log.error({ apollo: String(m) }) },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return { drainServer: async () => wsServer.dispose() };
        },
      },
      {
        async requestDidStart() {
          const started = Date.now();
          return {
            async didResolveOperation({ request, document }) {
              assertComplexity(schema, document, request.variables, request.operationName, limits.maxComplexity);
            },
            async willSendResponse({ operationName, errors, contextValue }) {
              // Operation name, outcome and timing only: never variables or results.
              log.info(
                {
                  op: operationName ?? "(anonymous)",
                  ms: Date.now() - started,
                  user: contextValue.actor?.userId,
                  errors: errors?.map((e) => e.extensions?.code ?? "ERROR"),
                },
                "graphql",
              );
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", "'wasm-unsafe-eval'"],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "blob:"],
          "connect-src": ["'self'", "ws:", "wss:"],
          "worker-src": ["'self'", "blob:"],
          "upgrade-insecure-requests": config.cookieSecure ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: config.cookieSecure,
    }),
  );
  // COOP means something only in a secure context (HTTPS, or a loopback name); served over plain
  // HTTP by another name (a lab network without TLS) the browser ignores it and logs an error on
  // every page, so it is not sent there.
  app.use((req, res, next) => {
    if (!req.secure && !loopbackHost(req.hostname)) res.removeHeader("Cross-Origin-Opener-Policy");
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await p.db.dataSource.query("SELECT 1");
      res.json({ ok: true, database: p.db.embedded ? "embedded" : "external", bus: p.bus.kind, queue: p.queue.kind });
    } catch {
      res.status(503).json({ ok: false });
    }
  });

  app.use(
    "/graphql",
    // Large enough for a report CSV as a variable; documents themselves are capped in tokens.
    express.json({ limit: "12mb" }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<Context> => {
        const creds = credentialsOf(req.headers);
        return {
          actor: await services.accounts.authenticate(creds.sessionToken, creds.bearer),
          ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
          userAgent: req.headers["user-agent"]?.slice(0, 300) || null,
          cookies: cookieJar(config, (v) => res.append("Set-Cookie", v)),
          services,
        };
      },
    }),
  );

  app.use("/dicomweb/projects/:projectId", dicomwebRouter(services, { maxUploadBytes: config.uploads.maxBytes }));
  app.use("/export/projects/:projectId", exportRouter(services));
  app.use("/export/jobs", exportJobsRouter(services));
  if (services.sso) app.use("/auth/sso", ssoRouter(services.sso, config, p.log));
  app.use("/ai/projects/:projectId", aiRouter(services));
  app.use("/ai/model-versions", modelFilesRouter(services));

  if (clientDir) mountClient(app, clientDir, log);

  // Unknown routes and errors outside GraphQL: a short JSON answer, never a stack.
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err: err.message }, "http error");
    res.status(status).json({ error: status === 500 ? "internal server error" : err.type ?? err.message });
  });

  return {
    server,
    async close() {
      await apollo.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function mountClient(app: express.Express, dir: string, log: Logger): void {
  const index = path.join(dir, "index.html");
  if (!fs.existsSync(index)) {
    log.warn({ dir }, "client build not found; run `npm run build` to serve the UI");
    return;
  }
  // The build writes each script, style sheet and WebAssembly module also brotli- and
  // gzip-compressed beside it (client/vite.config.ts): the browser gets the smallest it accepts
  // (the case page's 4.4 MB script as 0.8 MB), and the server compresses nothing per request.
  const setHeaders = (res: http.ServerResponse, file: string) => {
    if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
  };
  app.use(expressStaticGzip(dir, { enableBrotli: true, orderPreference: ["br", "gz"], index: false, serveStatic: { index: false, maxAge: "1h", setHeaders } }));
  // The client routes in the browser: any other GET that wants HTML gets the app. A built file
  // that is not there (a chunk of an older build, asked for by a page opened before an upgrade)
  // is not found, not the page: a script answered with HTML fails with a baffling error.
  app.get(/^(?!\/(graphql|dicomweb|export|healthz|readyz|assets\/)).*/, (req, res, next) => {
    if (!req.accepts("html")) return next();
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
}

export type { Config };

/** A host name browsers count as potentially trustworthy over plain HTTP: localhost (and its subdomains), 127.0.0.0/8, ::1. */
export function loopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::1";
}
