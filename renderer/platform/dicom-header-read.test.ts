import { describe, expect, it } from 'vitest';
import { ctSeriesFiles } from '../../tests/phantoms/ct-series';
import { readDicomFileHeader } from './dicom-header-read';

/** A File that counts the calls that cost a synchronous browser round trip in Chromium. */
class CountingFile extends File {
  sizeReads = 0;
  slices = 0;
  override get size(): number {
    this.sizeReads++;
    return super.size;
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    this.slices++;
    return super.slice(start, end, type);
  }
}

async function phantomFile(extra: Parameters<typeof ctSeriesFiles>[0] = {}): Promise<CountingFile> {
  const [f] = await ctSeriesFiles({ dims: [64, 64, 1], ...extra });
  return new CountingFile([f.bytes as Uint8Array<ArrayBuffer>], f.name);
}

describe('readDicomFileHeader', () => {
  it('reads a usual header with one slice and no size, keeping only the bytes before Pixel Data', async () => {
    const file = await phantomFile();
    const ds = await readDicomFileHeader(file);
    expect(file.slices).toBe(1);
    expect(file.sizeReads).toBe(0);
    expect(ds.string('x00080060')).toBe('CT');
    expect(ds.uint16('x00280010')).toBe(64);
    const pixel = ds.elements.x7fe00010;
    expect(pixel).toBeDefined();
    expect(ds.byteArray.length).toBe(pixel.dataOffset);
    expect(ds.byteArray.buffer.byteLength).toBe(pixel.dataOffset);
  });

  it('reads on when the header is longer than the first read (large private block), nested items still parse', async () => {
    const big = new Uint8Array(40_000).fill(7);
    const file = await phantomFile({
      extra: [
        { tag: 0x00291010, vr: 'OB', value: big },
        {
          tag: 0x00082112,
          vr: 'SQ',
          value: [[{ tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' }]],
        },
      ],
    });
    const ds = await readDicomFileHeader(file);
    expect(file.slices).toBe(2);
    expect(file.sizeReads).toBe(0);
    expect(ds.elements.x00291010.length).toBe(40_000);
    const item = ds.elements.x00082112.items?.[0]?.dataSet;
    expect(item?.byteArray).toBe(ds.byteArray);
    expect(item?.string('x00081150')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(ds.byteArray.length).toBe(ds.elements.x7fe00010.dataOffset);
    expect(ds.uint16('x00280011')).toBe(64);
  });

  it('a file shorter than the first read is parsed whole; a non-DICOM file is an error with a reason', async () => {
    const small = await phantomFile({ dims: [4, 4, 1] });
    expect((await readDicomFileHeader(small)).uint16('x00280010')).toBe(4);
    const junk = new File([new TextEncoder().encode('not a DICOM file at all')], 'notes.txt');
    await expect(readDicomFileHeader(junk)).rejects.toThrow(/./);
  });

  it('a large non-DICOM file is refused after one read; a file is read once however often it is asked for', async () => {
    const video = new CountingFile([new Uint8Array(2_000_000)], 'movie.bin');
    await expect(readDicomFileHeader(video)).rejects.toThrow(/DICM/);
    expect(video.slices).toBe(1);
    const file = await phantomFile();
    const [a, b] = await Promise.all([readDicomFileHeader(file), readDicomFileHeader(file)]);
    expect(await readDicomFileHeader(file)).toBe(a);
    expect(b).toBe(a);
    expect(file.slices).toBe(1);
  });
});
