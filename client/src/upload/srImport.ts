// Annotation files (DICOM SR, TID 1500; DICOM SEG; NIfTI or NRRD label masks) imported as the
// user's annotations: the files go to the importStructuredReports mutation base64-encoded in its
// JSON body, which the server takes up to 12 MB (server/src/http/app.ts). So they go in requests
// of at most MAX_SR_REQUEST_BYTES of files (a third more once encoded), each with its own share of
// the progress bar; a file larger than that on its own is refused here, saying why, and the others
// still go.

/** Bytes of files in one request: 8 MiB, about 10.7 MiB once base64-encoded, under the 12 MB body limit. */
export const MAX_SR_REQUEST_BYTES = 8 * 1024 * 1024;
/** Files in one request: the server reads and checks each in that request's time. */
export const MAX_SR_REQUEST_FILES = 50;

export interface SrImportPlan<F extends { size: number }> {
  /** Requests to make, in order, each a list of files. */
  requests: F[][];
  /** Files too large to import this way. */
  tooLarge: F[];
}

/** Groups files into requests of at most `maxBytes` bytes and `maxFiles` files, in their order. */
export function planSrImport<F extends { size: number }>(files: F[], maxBytes = MAX_SR_REQUEST_BYTES, maxFiles = MAX_SR_REQUEST_FILES): SrImportPlan<F> {
  const requests: F[][] = [];
  const tooLarge: F[] = [];
  let current: F[] = [];
  let bytes = 0;
  for (const file of files) {
    if (file.size > maxBytes) {
      tooLarge.push(file);
      continue;
    }
    if (current.length && (current.length >= maxFiles || bytes + file.size > maxBytes)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length) requests.push(current);
  return { requests, tooLarge };
}
