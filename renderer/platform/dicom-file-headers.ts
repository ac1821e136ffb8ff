/**
 * Headers of local DICOM files registered with the DICOM image loader's file manager (`dicomfile:` image ids), shared
 * by the study browser's open path and the viewer's quick local-open path: each single-frame file's header (all
 * before Pixel Data, usually from its first 64 KB) is parsed once and served to Cornerstone by one metadata provider,
 * so a series can be sorted and a volume allocated before any pixel data are read. Once a slice is decoded its file
 * bytes are dropped from the loader's cache and from the decoded image (the loader keeps the whole parsed file as
 * `image.data`; it becomes the header kept here), so memory holds the volume, not every file too (issue 2: 300 CT
 * files kept 157 MB beyond the volume). Headers are kept in buffers cut at Pixel Data (about 1 KB a file).
 */
import { Enums, eventTarget, metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import type * as dicomParser from 'dicom-parser';
export { readDicomFileHeader } from './dicom-header-read';

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
    const image = (evt as CustomEvent<{ image?: { imageId?: string; data?: unknown } }>).detail?.image;
    const id = image?.imageId;
    const header = id ? headers.get(id) : undefined;
    if (image && id && header) {
      // The wadouri loader sets `image.data` to the whole parsed file, and the image stays in Cornerstone's cache:
      // keep the header only (nothing in Cornerstone reads pixel data from it).
      if (image.data && image.data !== header) image.data = header;
      const url = id.slice('dicomfile:'.length);
      if (wadouri.dataSetCacheManager.isLoaded(url)) wadouri.dataSetCacheManager.unload(url);
    }
  });
}

/** Serves `ds` as the metadata of `imageId`. */
export function setDicomFileHeader(imageId: string, ds: dicomParser.DataSet): void {
  headers.set(imageId, ds);
}

/** The header kept for `imageId` (single-frame local files), if any. */
export function getDicomFileHeader(imageId: string): dicomParser.DataSet | undefined {
  return headers.get(imageId);
}

/** Stops serving metadata for `imageId` (e.g. a file that turned out unusable). */
export function forgetDicomFileHeader(imageId: string): void {
  headers.delete(imageId);
}
