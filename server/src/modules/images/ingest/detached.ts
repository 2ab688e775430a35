import { niftiMagic } from "../convert/nifti.js";
import { isNrrd, nrrdDataFile, nrrdHeader } from "../convert/nrrd.js";
import { ImageConversionError } from "../convert/secondary-capture.js";
import type { Expanded } from "./archives.js";

// A volume can come as two files: an NRRD header (.nhdr) naming its data file, or a NIfTI header
// (.hdr, magic "ni1") with its image beside it (.img). Ingest prepares one file at a time, so the
// two are joined here, within one upload, into the single-file form (an attached NRRD, an "n+1"
// NIfTI) that the readers take. The data file's own result says where its data went. A header
// whose data file is not in the upload is left as it is: its reader refuses it, naming the file.

const dirOf = (name: string) => name.replace(/[^/\\]*$/, "");

/** Resolves a data file named in a header against the header's folder ("./" and "../" included). */
function resolve(headerName: string, dataFile: string): string {
  const parts = `${dirOf(headerName)}${dataFile}`.split(/[/\\]/);
  const out: string[] = [];
  for (const p of parts) {
    if (p === "." || (p === "" && out.length)) continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}

export function joinDetached(files: Expanded[]): Expanded[] {
  const byName = new Map<string, number>();
  files.forEach((f, i) => "bytes" in f && byName.set(f.name.replace(/\\/g, "/"), i));
  const out = [...files];
  const claimed = new Map<number, string>();
  files.forEach((file, i) => {
    if (!("bytes" in file)) return;
    let joined: Uint8Array | null = null;
    let dataAt: number | undefined;
    if (isNrrd(file.bytes)) {
      let header;
      let dataFile: string | null;
      try {
        header = nrrdHeader(file.bytes, file.name);
        dataFile = nrrdDataFile(header, file.name);
      } catch (err) {
        if (err instanceof ImageConversionError) return; // the reader says so, in this file's result
        throw err;
      }
      if (dataFile === null) return;
      dataAt = byName.get(resolve(file.name, dataFile));
      if (dataAt === undefined || dataAt === i) return;
      const data = (files[dataAt] as { bytes: Uint8Array }).bytes;
      const lines = header.lines.filter((l) => !/^data ?file:/i.test(l));
      const head = Buffer.from(`${lines.join("\n")}\n\n`, "latin1");
      joined = new Uint8Array(head.length + data.length);
      joined.set(head);
      joined.set(data, head.length);
    } else if (niftiMagic(file.bytes) === "ni1") {
      const stem = file.name.replace(/\\/g, "/").replace(/\.hdr$/i, "");
      dataAt = byName.get(`${stem}.img`) ?? byName.get(`${stem}.IMG`);
      if (dataAt === undefined || dataAt === i) return;
      // In a pair, vox_offset is where the image starts in the .img.
      const le = new DataView(file.bytes.buffer, file.bytes.byteOffset, 348).getInt32(0, true) === 348;
      const offset = new DataView(file.bytes.buffer, file.bytes.byteOffset, 348).getFloat32(108, le);
      const img = (files[dataAt] as { bytes: Uint8Array }).bytes;
      const data = img.subarray(Number.isInteger(offset) && offset > 0 && offset <= img.length ? offset : 0);
      // The header (without any extensions), "n+1", the image at byte 352 after an empty extension flag.
      joined = new Uint8Array(352 + data.length);
      joined.set(file.bytes.subarray(0, 348));
      joined.set([0x6e, 0x2b, 0x31, 0], 344);
      new DataView(joined.buffer).setFloat32(108, 352, le);
      joined.set(data, 352);
    }
    if (joined && dataAt !== undefined) {
      out[i] = { name: file.name, bytes: joined };
      claimed.set(dataAt, file.name);
    }
  });
  for (const [at, header] of claimed) {
    out[at] = { name: files[at]!.name, ignored: `${files[at]!.name}: the image data of ${header}, stored with it` };
  }
  return out;
}
