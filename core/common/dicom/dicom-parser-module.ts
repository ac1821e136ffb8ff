/**
 * dicom-parser is a CommonJS/UMD package: bundlers and Node's ESM loader expose it either as the namespace itself or
 * as its `default`. This picks whichever holds the functions.
 *
 * @packageDocumentation
 */
import * as ns from 'dicom-parser';

type DicomParserModule = typeof ns;

/** The dicom-parser API, whatever the module interop. */
export const dicomParser: DicomParserModule =
  typeof ns.parseDicom === 'function' ? ns : (ns as unknown as { default: DicomParserModule }).default;
