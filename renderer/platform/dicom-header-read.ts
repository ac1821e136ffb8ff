/**
 * Reading a DICOM file's header (everything before Pixel Data) from a `File` with as little work as possible, kept
 * apart from the Cornerstone metadata provider (dicom-file-headers.ts) so it runs under Node in unit tests.
 */
import * as dicomParser from 'dicom-parser';

/** A DICOM data set with every (nested) item pointing at `byteArray` (offsets are absolute in the file). */
function rebase(ds: dicomParser.DataSet, byteArray: Uint8Array): void {
  ds.byteArray = byteArray;
  for (const el of Object.values(ds.elements)) {
    for (const item of el.items ?? []) if (item.dataSet) rebase(item.dataSet, byteArray);
  }
}

/**
 * The header with its bytes copied into a buffer that ends where Pixel Data's value starts, so the read buffer (up to
 * the whole file) is not kept alive by the header.
 */
function compact(ds: dicomParser.DataSet): dicomParser.DataSet {
  const end = ds.elements.x7fe00010?.dataOffset;
  if (end === undefined || end >= ds.byteArray.length) return ds;
  rebase(ds, ds.byteArray.slice(0, end));
  return ds;
}

/** Bytes read to find a header: most CT/MR headers end within 16 KB; large private blocks need more. */
const HEADER_READS = [16 * 1024, 256 * 1024];

/** Headers already read (or being read), by file: the result-file check and the image path both need them. */
const cache = new WeakMap<Blob, Promise<dicomParser.DataSet>>();

/**
 * Parses the header of a DICOM file, reading only its first bytes when the header fits in them. Each file is read
 * once per page: later calls get the same data set (treat it as read-only).
 *
 * `file.size` is never read and `file.slice()` is called once for most files: on a file picked in Chromium each of
 * them is a synchronous call to the browser process for the file's metadata (about 1 ms each on the 2-core bench
 * machine; reading `size` three times per file cost 0.3 s of main-thread time for 300 files, issue 2). A short read
 * means the file ended. A file without the DICM prefix is refused after its first read.
 */
export function readDicomFileHeader(file: Blob): Promise<dicomParser.DataSet> {
  let p = cache.get(file);
  if (!p) {
    p = readHeader(file);
    cache.set(file, p);
  }
  return p;
}

async function readHeader(file: Blob): Promise<dicomParser.DataSet> {
  for (const want of [...HEADER_READS, Infinity]) {
    const buffer = await (want === Infinity ? file : file.slice(0, want)).arrayBuffer();
    const whole = buffer.byteLength < want;
    try {
      const ds = dicomParser.parseDicom(new Uint8Array(buffer), { untilTag: 'x7fe00010' });
      // A read that ended on an element boundary before Pixel Data parses cleanly: read more.
      if (ds.elements.x7fe00010 || whole) return compact(ds);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      if (whole || /DICM prefix not found/.test(error.message)) throw error;
    }
  }
  throw new Error('unreadable DICOM header');
}
