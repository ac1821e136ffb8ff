/**
 * Headers of local DICOM files registered with the DICOM image loader's file manager (`dicomfile:` image ids), shared
 * by the study browser's open path and the viewer's quick local-open path: each single-frame file's header (all
 * before Pixel Data, usually from its first 64 KB) is parsed once and served to Cornerstone by one metadata provider,
 * so a series can be sorted and a volume allocated before any pixel data are read. Once a slice is decoded its file
 * bytes are dropped from the loader's cache (its metadata stay here), so memory holds the volume, not every file too.
 */
import { Enums, eventTarget, metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import * as dicomParser from 'dicom-parser';

/** Header datasets of single-frame files by image id (multi-frame files use the loader's full dataset cache). */
const headers = new Map<string, dicomParser.DataSet>();
let providerInstalled = false;

/** Installs the metadata provider and the decoded-slice listener (once per page). */
export function installDicomFileHeaderProvider(): void {
  if (providerInstalled) return;
  providerInstalled = true;
  metaData.addProvider((type: string, imageId: string) => {
    if (typeof imageId !== 'string') return undefined;
    const ds = headers.get(imageId);
    return ds ? wadouri.metaData.metadataForDataset(type, imageId, ds) : undefined;
  }, 10_000);
  eventTarget.addEventListener(Enums.Events.IMAGE_LOADED, (evt: Event) => {
    const id = (evt as CustomEvent<{ image?: { imageId?: string } }>).detail?.image?.imageId;
    if (id && headers.has(id)) {
      const url = id.slice('dicomfile:'.length);
      if (wadouri.dataSetCacheManager.isLoaded(url)) wadouri.dataSetCacheManager.unload(url);
    }
  });
}

/** Serves `ds` as the metadata of `imageId`. */
export function setDicomFileHeader(imageId: string, ds: dicomParser.DataSet): void {
  headers.set(imageId, ds);
}

/** Stops serving metadata for `imageId` (e.g. a file that turned out unusable). */
export function forgetDicomFileHeader(imageId: string): void {
  headers.delete(imageId);
}

const HEADER_BYTES = 64 * 1024;

/** Parses the header of a DICOM file, reading only its first bytes when the header fits in them. */
export async function readDicomFileHeader(file: File): Promise<dicomParser.DataSet> {
  for (const size of [HEADER_BYTES, file.size]) {
    const n = Math.min(size, file.size);
    try {
      return dicomParser.parseDicom(new Uint8Array(await file.slice(0, n).arrayBuffer()), {
        untilTag: 'x7fe00010',
      });
    } catch (e) {
      if (n >= file.size) throw e instanceof Error ? e : new Error(String(e));
    }
  }
  throw new Error('unreadable DICOM header');
}
