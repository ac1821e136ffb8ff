/** DICOMweb (QIDO-RS, WADO-RS, STOW-RS) for the browser and Node. */
export { DicomWebClient } from './dicomweb-client';
export type { DicomWebClientOptions, SeriesFilters, StoreResult, StudyFilters } from './dicomweb-client';
export { DicomWebError } from './dicomweb-types';
export type {
  DicomJsonAttribute,
  DicomJsonObject,
  DicomWebAuth,
  DicomWebErrorReason,
  DicomWebServerConfig,
} from './dicomweb-types';
export {
  jsonNumber,
  jsonString,
  jsonStrings,
  toRemoteInstance,
  toRemoteSeries,
  toRemoteStudy,
} from './dicom-json';
export type { RemoteInstance, RemoteSeries, RemoteStudy } from './dicom-json';
export { boundaryOf, buildMultipart, splitMultipart } from './multipart';
export type { MultipartPart } from './multipart';
export { retrieveSeriesRecords } from './retrieve-series-records';
export type { RetrievedSeries } from './retrieve-series-records';
