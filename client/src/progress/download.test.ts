import { describe, expect, it } from "vitest";
import { CsvRowCounter, DownloadError, exportUrl, fetchCsv, fileNameFrom, type DownloadProgress } from "./download";

const bytes = (s: string) => new TextEncoder().encode(s);

/** Splits bytes into chunks of `size`, to put chunk boundaries everywhere. */
function chunked(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

function count(data: Uint8Array, size: number): CsvRowCounter {
  const counter = new CsvRowCounter();
  for (const c of chunked(data, size)) counter.push(c);
  counter.finish();
  return counter;
}

// As the server writes it (csvLine in export.routes.ts): CRLF line ends; fields with a comma, quote
// or line break quoted, quotes doubled. ROI points are JSON with commas; names may hold anything.
const ROIS_CSV =
  "case,annotator,class,kind,points,sop_instance_uid,frame,version,submitted_at,class_id,roi_id\r\n" +
  'c-1,u1,Nodule,RECTANGLE,"[[1,2],[30,40]]",1.2.3,,1,2024-05-01T10:00:00.000Z,k1,r1\r\n' +
  'c-1,u1,"Mass, ""big""\r\nsecond line",FREEHAND,"[[1,2],[3,4],[5,6]]",1.2.3,0,1,2024-05-01T10:00:00.000Z,k2,r2\r\n' +
  'c-2,u2,"Ünïcode ""quoted""\nlf only",RECTANGLE,"[[0,0],[9,9]]",,,2,2024-05-02T10:00:00.000Z,k1,r3\r\n' +
  "c-3,u2,Nodule,RECTANGLE,\"[[5,5],[6,6]]\",,,1,2024-05-03T10:00:00.000Z,k1,r4\r\n";

describe("counting CSV rows as the download streams", () => {
  it("counts records, not line breaks inside quoted fields, at every chunk size", () => {
    const data = bytes(ROIS_CSV);
    for (let size = 1; size <= data.length; size++) {
      const counter = count(data, size);
      expect(counter.dataRows, `chunk size ${size}`).toBe(4);
      expect(counter.unterminated).toBe(false);
    }
  });

  it("survives a chunk ending between the two quotes of an escaped quote and inside CRLF", () => {
    const data = bytes('h\r\n"a""\r\nb",1\r\nx,2\r\n');
    const split = data.indexOf(0x22, 5) + 1; // after the first quote of ""
    const counter = new CsvRowCounter();
    counter.push(data.subarray(0, split));
    counter.push(data.subarray(split, split + 4)); // `"\r\nb`: still inside the field
    expect(counter.records).toBe(1);
    counter.push(data.subarray(split + 4));
    counter.finish();
    expect(counter.dataRows).toBe(2);
  });

  it("counts a last record without a line break, and no rows for a header or nothing", () => {
    expect(count(bytes("a,b\r\n1,2\r\n3,4"), 3).dataRows).toBe(2);
    expect(count(bytes("a,b\r\n"), 2).dataRows).toBe(0);
    expect(count(bytes(""), 1).dataRows).toBe(0);
  });

  it("notices a file cut inside a quoted field", () => {
    const counter = count(bytes('h\r\n"open field\r\nstill open'), 4);
    expect(counter.unterminated).toBe(true);
  });
});

describe("export download", () => {
  it("builds the export URLs", () => {
    expect(exportUrl("p 1", "labels", false)).toBe("/export/projects/p%201/labels.csv");
    expect(exportUrl("p", "rois", true)).toBe("/export/projects/p/rois.csv?versions=all");
  });

  it("takes the file name from Content-Disposition, never a path", () => {
    expect(fileNameFrom('attachment; filename="concord-labels-2024.csv"')).toBe("concord-labels-2024.csv");
    expect(fileNameFrom("attachment; filename=plain.csv")).toBe("plain.csv");
    expect(fileNameFrom(`attachment; filename="fallback.csv"; filename*=UTF-8''r%C3%B6ntgen.csv`)).toBe("röntgen.csv");
    expect(fileNameFrom('attachment; filename="../../etc/x.csv"')).toBe("x.csv");
    expect(fileNameFrom("attachment")).toBeNull();
    expect(fileNameFrom(null)).toBeNull();
  });

  function streamOf(parts: Uint8Array[], failAfter?: number): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        if (failAfter !== undefined && i === failAfter) {
          controller.error(new TypeError("network error"));
          return;
        }
        if (i < parts.length) controller.enqueue(parts[i++]!);
        else controller.close();
      },
    });
  }

  const fakeFetch = (response: Response) => (async () => response) as unknown as typeof fetch;

  it("reports rows against X-Total-Rows and returns the whole file under the server's name", async () => {
    const data = bytes(ROIS_CSV);
    const seen: DownloadProgress[] = [];
    const file = await fetchCsv("/export/projects/p/rois.csv", {
      fetch: fakeFetch(
        new Response(streamOf(chunked(data, 7)), {
          headers: { "Content-Type": "text/csv", "X-Total-Rows": "4", "Content-Disposition": 'attachment; filename="p-rois.csv"' },
        }),
      ),
      onProgress: (p) => seen.push(p),
    });
    expect(file.fileName).toBe("p-rois.csv");
    expect(file.rows).toBe(4);
    expect(await file.blob.text()).toBe(ROIS_CSV);
    expect(seen.every((p) => p.total === 4)).toBe(true);
    const rows = seen.map((p) => p.rows);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.at(-1)).toBe(4);
  });

  it("uses the fallback total without X-Total-Rows, and the URL's name without Content-Disposition", async () => {
    let last: DownloadProgress | null = null;
    const file = await fetchCsv("/export/projects/p/labels.csv?versions=all", {
      fetch: fakeFetch(new Response(streamOf([bytes("case,label\r\nc,l\r\n")]))),
      fallbackTotal: async () => 1,
      onProgress: (p) => (last = p),
    });
    expect(file.fileName).toBe("labels.csv");
    expect(last).toMatchObject({ rows: 1, total: 1 });
  });

  it("explains refusals and never saves a cut file", async () => {
    await expect(fetchCsv("/x.csv", { fetch: fakeFetch(new Response(JSON.stringify({ error: "not found" }), { status: 404 })) })).rejects.toMatchObject({
      name: "DownloadError",
      status: 404,
    });
    await expect(fetchCsv("/x.csv", { fetch: fakeFetch(new Response(JSON.stringify({ error: "versions must be latest or all" }), { status: 400 })) })).rejects.toThrow(
      /versions must be latest or all/,
    );
    // The server destroys the connection when it fails mid-stream.
    await expect(fetchCsv("/x.csv", { fetch: fakeFetch(new Response(streamOf(chunked(bytes(ROIS_CSV), 50), 2), { headers: { "X-Total-Rows": "4" } })) })).rejects.toThrow(/interrupted/);
    // Fewer rows than announced.
    await expect(fetchCsv("/x.csv", { fetch: fakeFetch(new Response(streamOf([bytes("h\r\n1\r\n")]), { headers: { "X-Total-Rows": "3" } })) })).rejects.toThrow(/1 of 3 rows/);
    await expect(fetchCsv("/x.csv", { fetch: fakeFetch(new Response("<!doctype html>", { headers: { "Content-Type": "text/html" } })) })).rejects.toThrow(/text\/html instead of a CSV/);
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    await expect(fetchCsv("/x.csv", { fetch: offline })).rejects.toBeInstanceOf(DownloadError);
  });
});
