import http from "node:http";
import type { AddressInfo } from "node:net";

// The least a DICOMweb store must do to be configured: answer QIDO-RS /studies with a JSON list.
// For tests that configure stores without storing anything (the permission matrix), and for
// checking what a client sends (credentials).

export interface DicomwebStub {
  /** The service root, e.g. http://127.0.0.1:1234/dicom-web */
  url: string;
  /** Requests seen: method, path with query, Authorization header. */
  requests: Array<{ method: string; url: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

export async function startDicomwebStub(opts: { authorization?: string } = {}): Promise<DicomwebStub> {
  const requests: DicomwebStub["requests"] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    req.resume();
    if (opts.authorization && req.headers.authorization !== opts.authorization) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="stub"' }).end();
      return;
    }
    // Two service roots on one origin: /dicom-web and /orthanc/dicom-web.
    if (req.method === "GET" && /^(\/orthanc)?\/dicom-web\/studies(\?|$)/.test(req.url ?? "")) {
      res.writeHead(200, { "content-type": "application/dicom+json" }).end("[]");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not here");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dicom-web`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: Promise<DicomwebStub> | null = null;
/** One stub per test process, started on first use; it does not keep the process alive. */
export const sharedDicomwebStub = () => (shared ??= startDicomwebStub());
