import { randomBytes } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";
import type { association as Assoc, requests as Requests, responses as Responses } from "dcmjs-dimse";
import { imageToSecondaryCapture } from "../modules/images/convert/secondary-capture.js";
import { dimse } from "../platform/dimse/dimse.js";
import { chestPng } from "./images.js";

// A small PACS in this process, for tests that need a DIMSE peer without Orthanc (the permission
// matrix): it answers C-ECHO, C-FIND at study level, C-GET (sending the instances back on the same
// association) and C-MOVE (to the destinations it is told about), from synthetic instances in memory.

interface Dcmjs {
  data: {
    DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
    DicomMessage: { readFile(buffer: ArrayBuffer): { meta: Record<string, unknown>; dict: Record<string, unknown> } };
    DicomMetaDictionary: { naturalizeDataset(ds: unknown): Record<string, unknown> };
  };
}
const dcmjs = require("dcmjs") as Dcmjs;
const { Scp, Server, Client, Dataset } = dimse;
const { CStoreRequest } = dimse.requests;
const { CEchoResponse, CFindResponse, CGetResponse, CMoveResponse } = dimse.responses;
const { PresentationContextResult } = dimse.constants;
const EXPLICIT_LE = "1.2.840.10008.1.2.1";
const IMPLICIT_LE = "1.2.840.10008.1.2";
const STATUS = { Success: 0, Pending: 0xff00, Failed: 0xc000, MoveDestinationUnknown: 0xa801 };

export interface SyntheticStudy {
  studyInstanceUid: string;
  patientId: string;
  /** Part 10 files, explicit VR little endian. */
  files: Buffer[];
}

/** A study of `count` small Secondary Capture images (PNG-derived) with one patient and study date. */
export function syntheticStudy(count = 2, opts: { patientId?: string; studyDate?: string; description?: string } = {}): SyntheticStudy {
  const uid = () => `2.25.${BigInt(`0x${randomBytes(16).toString("hex")}`).toString()}`;
  const studyInstanceUid = uid();
  const seriesInstanceUid = uid();
  const patientId = opts.patientId ?? `PAT-${randomBytes(4).toString("hex")}`;
  const files = Array.from({ length: count }, (_, i) => {
    const sc = imageToSecondaryCapture(chestPng(16, 12, i + 1), `image-${i + 1}.png`);
    sc.dict["0020000D"] = { vr: "UI", Value: [studyInstanceUid] };
    sc.dict["0020000E"] = { vr: "UI", Value: [seriesInstanceUid] };
    sc.dict["00100020"] = { vr: "LO", Value: [patientId] };
    sc.dict["00100010"] = { vr: "PN", Value: [{ Alphabetic: "Test^Patient" }] };
    sc.dict["00080020"] = { vr: "DA", Value: [opts.studyDate ?? "20240131"] };
    sc.dict["00081030"] = { vr: "LO", Value: [opts.description ?? "Synthetic chest"] };
    sc.dict["00200013"] = { vr: "IS", Value: [i + 1] };
    const d = new dcmjs.data.DicomDict(sc.meta);
    d.dict = sc.dict;
    return Buffer.from(d.write());
  });
  return { studyInstanceUid, patientId, files };
}

interface Held {
  elements: Record<string, unknown>;
  studyInstanceUid: string;
}

export interface FakePacs {
  aeTitle: string;
  host: string;
  port: number;
  /** C-MOVE destinations by AE title. */
  destinations: Map<string, { host: string; port: number }>;
  add(study: SyntheticStudy): void;
  close(): Promise<void>;
}

export async function startFakePacs(opts: { aeTitle?: string } = {}): Promise<FakePacs> {
  const aeTitle = opts.aeTitle ?? "FAKEPACS";
  const held: Held[] = [];
  const destinations = new Map<string, { host: string; port: number }>();

  const study = (uid: string | undefined) => held.filter((h) => h.studyInstanceUid === uid);
  const datasetOf = (h: Held) => new Dataset({ ...h.elements }, EXPLICIT_LE);

  class FakeScp extends Scp {
    constructor(socket: Socket, options: object) {
      super(socket, options);
      socket.setNoDelay(true);
    }

    override associationRequested(association: Assoc.Association): void {
      for (const { context } of association.getPresentationContexts()) {
        const offered = context.getTransferSyntaxUids();
        const ts = [EXPLICIT_LE, IMPLICIT_LE].find((t) => offered.includes(t));
        if (ts) context.setResult(PresentationContextResult.Accept, ts);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: Requests.CEchoRequest, callback: (r: Responses.CEchoResponse) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(STATUS.Success);
      callback(response);
    }

    override cFindRequest(request: Requests.CFindRequest, callback: (r: Responses.CFindResponse[]) => void): void {
      const keys = request.getDataset()?.getElements() ?? {};
      const wanted = (name: string) => {
        const v = keys[name];
        return typeof v === "string" && v && !v.includes("*") ? v : null;
      };
      const uids = [...new Set(held.map((h) => h.studyInstanceUid))];
      const responses: Responses.CFindResponse[] = [];
      for (const uid of uids) {
        const first = study(uid)[0]!.elements;
        if (wanted("PatientID") && first.PatientID !== wanted("PatientID")) continue;
        if (wanted("ModalitiesInStudy") && first.Modality !== wanted("ModalitiesInStudy")) continue;
        const r = CFindResponse.fromRequest(request);
        r.setStatus(STATUS.Pending);
        r.setDataset(
          new Dataset({
            QueryRetrieveLevel: "STUDY",
            StudyInstanceUID: uid,
            PatientID: first.PatientID,
            StudyDate: first.StudyDate,
            StudyDescription: first.StudyDescription,
            ModalitiesInStudy: first.Modality,
            NumberOfStudyRelatedInstances: String(study(uid).length),
          }),
        );
        responses.push(r);
      }
      const final = CFindResponse.fromRequest(request);
      final.setStatus(STATUS.Success);
      callback([...responses, final]);
    }

    override cGetRequest(request: Requests.CGetRequest, callback: (r: Responses.CGetResponse[]) => void): void {
      const instances = study(request.getDataset()?.getElement("StudyInstanceUID"));
      void sendAll(instances.map(datasetOf), (req) => this.sendRequests(req)).then(({ completed, failed }) => {
        const final = CGetResponse.fromRequest(request);
        final.setStatus(failed ? (completed ? 0xb000 : STATUS.Failed) : STATUS.Success);
        final.setCompleted(completed);
        final.setFailures(failed);
        final.setRemaining(0);
        final.setWarnings(0);
        callback([final]);
      });
    }

    override cMoveRequest(request: Requests.CMoveRequest, callback: (r: Responses.CMoveResponse[]) => void): void {
      const final = CMoveResponse.fromRequest(request);
      const destination = destinations.get(String(request.getCommandDataset().getElement("MoveDestination") ?? "").trim());
      if (!destination) {
        final.setStatus(STATUS.MoveDestinationUnknown);
        callback([final]);
        return;
      }
      const instances = study(request.getDataset()?.getElement("StudyInstanceUID"));
      const moveTo = String(request.getCommandDataset().getElement("MoveDestination")).trim();
      void storeTo(destination, aeTitle, moveTo, instances.map(datasetOf)).then(({ completed, failed }) => {
        final.setStatus(failed ? (completed ? 0xb000 : STATUS.Failed) : STATUS.Success);
        final.setCompleted(completed);
        final.setFailures(failed);
        final.setRemaining(0);
        final.setWarnings(0);
        callback([final]);
      });
    }

    override abort(): void {}
  }

  const server = new Server(FakeScp as unknown as typeof Scp);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("networkError", (e: Error) => reject(e));
    server.listen({ port: 0, host: "127.0.0.1" } as unknown as number);
  });
  const net = (server as unknown as { server: import("node:net").Server }).server;
  net.unref();
  return {
    aeTitle,
    host: "127.0.0.1",
    port: (net.address() as AddressInfo).port,
    destinations,
    add(s) {
      for (const file of s.files) {
        const read = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
        const elements = dcmjs.data.DicomMetaDictionary.naturalizeDataset(read.dict);
        held.push({ elements, studyInstanceUid: s.studyInstanceUid });
      }
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => (net.listening ? net.close(() => resolve()) : resolve()));
      server.close();
      await closed;
    },
  };
}

/** C-STOREs on an association we are the SCP of (C-GET sub-operations), one after the other. */
async function sendAll(datasets: InstanceType<typeof Dataset>[], send: (r: Requests.CStoreRequest) => void) {
  let completed = 0;
  let failed = 0;
  for (const dataset of datasets) {
    const request = new CStoreRequest(dataset);
    const status = await new Promise<number>((resolve) => {
      request.on("response", (r: Responses.CStoreResponse) => resolve(r.getStatus()));
      send(request);
    });
    if (status === STATUS.Success) completed++;
    else failed++;
  }
  return { completed, failed };
}

/** C-STOREs of a study's files to an SCP as `callingAe`, the way a PACS pushes them: one association. */
export function pushStudy(to: { host: string; port: number }, callingAe: string, calledAe: string, study: SyntheticStudy) {
  const datasets = study.files.map((file) => {
    const read = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
    return new Dataset(dcmjs.data.DicomMetaDictionary.naturalizeDataset(read.dict), EXPLICIT_LE);
  });
  return storeTo(to, callingAe, calledAe, datasets);
}

/** C-STOREs to a C-MOVE destination, on an association of their own. */
function storeTo(destination: { host: string; port: number }, callingAe: string, calledAe: string, datasets: InstanceType<typeof Dataset>[]) {
  return new Promise<{ completed: number; failed: number; rejected: boolean; statuses: number[] }>((resolve) => {
    let completed = 0;
    let rejected = false;
    const statuses: number[] = [];
    if (!datasets.length) {
      resolve({ completed, failed: 0, rejected, statuses });
      return;
    }
    const client = new Client();
    for (const dataset of datasets) {
      const request = new CStoreRequest(dataset);
      request.on("response", (r: Responses.CStoreResponse) => {
        statuses.push(r.getStatus());
        if (r.getStatus() === STATUS.Success) completed++;
      });
      client.addRequest(request);
    }
    client.on("networkError", () => undefined);
    client.on("associationRejected", () => (rejected = true));
    client.on("closed", () => resolve({ completed, failed: datasets.length - completed, rejected, statuses }));
    client.send(destination.host, destination.port, callingAe, calledAe, { connectTimeout: 5000, associationTimeout: 5000 });
  });
}

let shared: Promise<{ pacs: FakePacs; study: SyntheticStudy }> | null = null;
/** One fake PACS holding one single-instance study, for every test of a process that only needs it to answer. */
export const sharedFakePacs = () =>
  (shared ??= startFakePacs({ aeTitle: "SHAREDPACS" }).then((pacs) => {
    const study = syntheticStudy(1, { patientId: "SHARED-PACS-1" });
    pacs.add(study);
    return { pacs, study };
  }));
