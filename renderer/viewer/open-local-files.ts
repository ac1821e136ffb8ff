/**
 * A minimal local-files path into the viewer (web mode): register `File`s with the DICOM image loader's file
 * manager, parse each header once (the loader's own dataset cache, so pixel data are not read twice), group by
 * series, sort slices by ImagePositionPatient along the slice normal, and build {@link OpenableSeries}. The study
 * browser may replace this with its own import; it is kept small on purpose.
 */
import { metaData } from '@cornerstonejs/core';
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import type { OpenableSeries } from '../state/openable-series';
import {
  forgetDicomFileHeader,
  installDicomFileHeaderProvider,
  readDicomFileHeader,
  setDicomFileHeader,
} from '../platform/dicom-file-headers';

/** A file that could not be read as DICOM, with the reason. */
export interface FileProblem {
  name: string;
  reason: string;
}
export interface LocalOpenResult {
  series: OpenableSeries[];
  problems: FileProblem[];
}

interface Slice {
  imageId: string;
  position?: [number, number, number];
  normal?: [number, number, number];
  instanceNumber: number;
}
interface Group {
  slices: Slice[];
  info: Omit<OpenableSeries, 'imageIds' | 'hasGeometry' | 'warnings' | 'key'>;
}

function str(ds: { string(tag: string): string | undefined }, tag: string): string | undefined {
  const v = ds.string(tag);
  return v && v.trim() ? v.trim() : undefined;
}

function numbers(s: string | undefined): number[] {
  if (!s) return [];
  const v = s.split('\\').map(Number);
  return v.every(Number.isFinite) ? v : [];
}

function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Read `files` (any mix; non-DICOM files are reported, never fatal) into openable series. */
export async function openLocalFiles(files: File[]): Promise<LocalOpenResult> {
  const problems: FileProblem[] = [];
  const groups = new Map<string, Group>();
  let anon = 0;
  installDicomFileHeaderProvider();
  await Promise.all(
    files.map(async (file) => {
      const imageId = wadouri.fileManager.add(file);
      const url = imageId.slice('dicomfile:'.length);
      try {
        let ds = await readDicomFileHeader(file);
        if ((ds.intString('x00280008') ?? 1) > 1) {
          // Enhanced multi-frame: per-frame geometry needs the whole dataset (the loader's cache keeps it).
          ds = await wadouri.dataSetCacheManager.load(url, wadouri.loadFileRequest, imageId);
        } else {
          setDicomFileHeader(imageId, ds);
        }
        if (!ds.elements.x7fe00010 && !ds.elements.x7fe00008 && !ds.elements.x7fe00009) {
          forgetDicomFileHeader(imageId);
          throw new Error('no pixel data');
        }
        const seriesUid =
          str(ds, 'x0020000e') ??
          `local-series-${file.webkitRelativePath.split('/').slice(0, -1).join('/') || 'files'}-${str(ds, 'x00200037') ?? ''}`;
        let g = groups.get(seriesUid);
        if (!g) {
          g = {
            slices: [],
            info: {
              studyInstanceUid: str(ds, 'x0020000d') ?? `local-study-${++anon}`,
              seriesInstanceUid: seriesUid,
              modality: str(ds, 'x00080060') ?? 'OT',
              seriesDescription: str(ds, 'x0008103e'),
              seriesNumber: ds.intString('x00200011'),
              patientName: str(ds, 'x00100010')?.replace(/\^/g, ' ').trim(),
              patientId: str(ds, 'x00100020'),
              studyDate: str(ds, 'x00080020'),
              studyDescription: str(ds, 'x00081030'),
            },
          };
          groups.set(seriesUid, g);
        }
        const frames = ds.intString('x00280008') ?? 1;
        const ids =
          frames > 1 ? Array.from({ length: frames }, (_, f) => `${imageId}&frame=${f + 1}`) : [imageId];
        const ipp = numbers(ds.string('x00200032'));
        const iop = numbers(ds.string('x00200037'));
        for (const id of ids) {
          let position = ipp.length === 3 ? (ipp as [number, number, number]) : undefined;
          let normal = iop.length === 6 ? cross(iop.slice(0, 3), iop.slice(3)) : undefined;
          if (frames > 1) {
            // Enhanced multi-frame: per-frame geometry from the loader's metadata provider.
            const plane = metaData.get('imagePlaneModule', id) as
              | { imagePositionPatient?: number[]; rowCosines?: number[]; columnCosines?: number[] }
              | undefined;
            const p = plane?.imagePositionPatient;
            position = p && p.length === 3 ? [p[0], p[1], p[2]] : undefined;
            const r = plane?.rowCosines,
              c = plane?.columnCosines;
            normal = r && c && r.length === 3 && c.length === 3 ? cross(r, c) : undefined;
          }
          g.slices.push({ imageId: id, position, normal, instanceNumber: ds.intString('x00200013') ?? 0 });
        }
      } catch (e) {
        wadouri.fileManager.remove(Number(url));
        problems.push({
          name: file.webkitRelativePath || file.name,
          reason: e instanceof Error ? e.message : String(e),
        });
      }
    }),
  );
  performance.mark('qiview:headers-parsed');
  const series: OpenableSeries[] = [];
  for (const [uid, g] of groups) {
    const warnings: string[] = [];
    const n = g.slices[0]?.normal;
    let hasGeometry = g.slices.every((s) => s.position && s.normal) && !!n && g.slices.length > 1;
    if (hasGeometry && n) {
      const d = (s: Slice) => s.position![0] * n[0] + s.position![1] * n[1] + s.position![2] * n[2];
      g.slices.sort((a, b) => d(a) - d(b));
      const ds = g.slices.map(d);
      for (let i = 1; i < ds.length; i++) {
        if (Math.abs(ds[i] - ds[i - 1]) < 1e-3) {
          hasGeometry = false;
          warnings.push('duplicate slice positions: opened as a stack');
          break;
        }
      }
      const parallel = g.slices.every(
        (s) => Math.abs(s.normal![0] * n[0] + s.normal![1] * n[1] + s.normal![2] * n[2]) > 0.999,
      );
      if (hasGeometry && !parallel) {
        hasGeometry = false;
        warnings.push('slices are not parallel: opened as a stack');
      }
    } else {
      g.slices.sort((a, b) => a.instanceNumber - b.instanceNumber);
      if (g.slices.length > 1) warnings.push('missing geometry: opened as a stack');
    }
    series.push({
      key: uid,
      ...g.info,
      imageIds: g.slices.map((s) => s.imageId),
      hasGeometry,
      warnings,
    });
  }
  return { series, problems };
}
