import type { Socket } from "node:net";
import type { association as Assoc, requests as Requests, responses as Responses } from "dcmjs-dimse";
import { answerStore, type StoreAnswer } from "./client.js";
import { EXPLICIT_LE, IMPLICIT_LE, Status, VERIFICATION, dimse, isStorageSopClass, keepRawStoreBytes, noDelay, storableTransferSyntax, type ReceivedInstance } from "./dimse.js";

// Our storage SCP: receives C-STOREs (pushed by a PACS, or sent back for a C-MOVE we asked for)
// and answers C-ECHO. Which instances go where is decided by the StorageRouter; this file only
// speaks DIMSE.

const { Scp, Server } = dimse;
const { CEchoResponse } = dimse.responses;
const { PresentationContextResult, RejectResult, RejectSource, RejectReason } = dimse.constants;

export interface IncomingAssociation {
  callingAeTitle: string;
  calledAeTitle: string;
  remoteAddress: string;
}

/** What happens to the instances of one association. */
export interface AssociationSink {
  /** Resolves once the instance is accepted for ingest (the peer then hears Success), or refused. */
  store(instance: ReceivedInstance): Promise<StoreAnswer>;
  /** The association ended (released, aborted or dropped): hand what was accepted to ingest. */
  close(): Promise<void>;
}

export interface StorageRouter {
  /** A sink for an association from this peer, or null to reject it (calling AE title not recognised). */
  open(association: IncomingAssociation): Promise<AssociationSink | null>;
}

export interface StorageScpOptions {
  host: string;
  port: number;
  aeTitle: string;
  router: StorageRouter;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface RunningScp {
  port: number;
  /** Stops listening, drops open associations and waits until what they accepted is handed to ingest. */
  close(): Promise<void>;
}

export async function startStorageScp(opts: StorageScpOptions): Promise<RunningScp> {
  const flushing = new Set<Promise<void>>();
  const { router, log, aeTitle } = opts;

  class StorageScp extends Scp {
    private sink: AssociationSink | null = null;
    private closed = false;

    constructor(socket: Socket, options: object) {
      super(socket, options);
      noDelay(socket);
      keepRawStoreBytes(this);
      this.on("close", () => this.finish());
    }

    override associationRequested(association: Assoc.Association): void {
      const socket = (this as unknown as { socket?: Socket }).socket;
      const incoming: IncomingAssociation = {
        callingAeTitle: association.getCallingAeTitle().trim(),
        calledAeTitle: association.getCalledAeTitle().trim(),
        remoteAddress: socket?.remoteAddress ?? "",
      };
      if (incoming.calledAeTitle !== aeTitle) {
        log.warn({ calling: incoming.callingAeTitle, called: incoming.calledAeTitle, from: incoming.remoteAddress }, "DIMSE association for another AE title rejected");
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      router.open(incoming).then(
        (sink) => {
          if (!sink) {
            log.warn({ calling: incoming.callingAeTitle, from: incoming.remoteAddress }, "DIMSE association from an unknown AE title rejected");
            this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
            return;
          }
          this.sink = sink;
          for (const { context } of association.getPresentationContexts()) negotiate(context);
          this.sendAssociationAccept();
        },
        (err: Error) => {
          log.error({ err: err.message, calling: incoming.callingAeTitle }, "DIMSE association could not be checked");
          this.sendAssociationReject(RejectResult.Transient, RejectSource.ServiceUser, RejectReason.NoReasonGiven);
        },
      );
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
      this.finish();
    }

    override cEchoRequest(request: Requests.CEchoRequest, callback: (response: Responses.CEchoResponse) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override cStoreRequest(request: Requests.CStoreRequest, callback: (response: Responses.CStoreResponse) => void): void {
      const sink = this.sink;
      // No sink means no accepted association: answer anyway, a peer waiting for a response would hang.
      const store = sink ? (instance: ReceivedInstance) => sink.store(instance) : async () => ({ ok: false as const, status: Status.NotAuthorized, comment: "association not accepted" });
      void answerStore(request, store).then(callback);
    }

    override abort(): void {
      this.finish();
    }

    /** Hands what the association accepted to ingest, once, whichever way it ended. */
    private finish(): void {
      if (this.closed || !this.sink) return;
      this.closed = true;
      const done = this.sink.close().catch((err: Error) => log.error({ err: err.message }, "DIMSE association could not be handed to ingest"));
      flushing.add(done);
      void done.finally(() => flushing.delete(done));
    }
  }

  const server = new Server(StorageScp as unknown as typeof Scp);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("networkError", (err: Error) => reject(err));
    // dcmjs-dimse hands its first argument to net.Server.listen, which takes { port, host }:
    // without the host, the SCP would listen on every interface.
    server.listen({ port: opts.port, host: opts.host } as unknown as number);
  });
  const netServer = (server as unknown as { server: import("node:net").Server }).server;
  const port = (netServer.address() as import("node:net").AddressInfo).port;
  log.info({ host: opts.host, port, aeTitle }, "DICOM storage SCP listening");
  return {
    port,
    async close() {
      const stopped = new Promise<void>((resolve) => (netServer.listening ? netServer.close(() => resolve()) : resolve()));
      server.close();
      await stopped;
      await Promise.all([...flushing]);
    },
  };
}

/**
 * Verification, and every storage class in a transfer syntax we can file as received: explicit VR
 * little endian when offered, else implicit, else the first compressed one offered, so a
 * compressed file arrives (and is stored) as the sender holds it.
 */
function negotiate(context: Assoc.PresentationContext): void {
  const offered = context.getTransferSyntaxUids();
  const abstract = context.getAbstractSyntaxUid();
  if (abstract !== VERIFICATION && !isStorageSopClass(abstract)) {
    context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
    return;
  }
  const chosen = [EXPLICIT_LE, IMPLICIT_LE].find((ts) => offered.includes(ts)) ?? (abstract === VERIFICATION ? undefined : offered.find(storableTransferSyntax));
  if (!chosen) context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
  else context.setResult(PresentationContextResult.Accept, chosen);
}
