/**
 * Minimal reader for the PDFs Chromium prints (Skia: uncompressed object table, FlateDecode streams, Type0 fonts
 * with ToUnicode CMaps): page count and the text of the content streams, enough to check what a printed page says.
 */
import { constants, inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const s = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+)\s+0\s+obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const start = m.index + m[0].length;
    const end = s.indexOf('endobj', start);
    if (end < 0) break;
    const body = s.slice(start, end);
    const si = body.search(/\bstream\r?\n/);
    const obj: PdfObject = { dict: si >= 0 ? body.slice(0, si) : body };
    if (si >= 0) {
      const dataStart = start + si + body.slice(si).indexOf('\n') + 1;
      const dataEnd = s.lastIndexOf('endstream', end);
      const raw = pdf.subarray(dataStart, dataEnd);
      obj.stream = /\/FlateDecode/.test(obj.dict)
        ? inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH })
        : raw;
    }
    out.set(Number(m[1]), obj);
    re.lastIndex = end;
  }
  return out;
}

/** Number of page objects (`/Type /Page`, not `/Pages`). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
}

/** The MediaBox of the first page, in points. */
export function pdfMediaBox(pdf: Buffer): number[] {
  const m = /\/MediaBox\s*\[([^\]]*)\]/.exec(pdf.toString('latin1'));
  return m ? m[1]!.trim().split(/\s+/).map(Number) : [];
}

function hexUtf16(h: string): string {
  let out = '';
  for (let i = 0; i + 4 <= h.length; i += 4) out += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
  return out;
}

function parseCMap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? [])
    for (const [, src, dst] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
      map.set(parseInt(src!, 16), hexUtf16(dst!));
  for (const block of text.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const [, lo, hi, rest] of block.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g,
    )) {
      const a = parseInt(lo!, 16),
        b = parseInt(hi!, 16);
      if (rest!.startsWith('[')) {
        const items = [...rest!.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => hexUtf16(x[1]!));
        for (let c = a; c <= b; c++) map.set(c, items[c - a] ?? '');
      } else {
        const base = hexUtf16(rest!.slice(1, -1));
        for (let c = a; c <= b; c++)
          map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - a)));
      }
    }
  }
  return map;
}

/**
 * The text drawn by every content stream, in drawing order; text runs that start a new position are separated by
 * a space. Glyphs are mapped back to Unicode with each font's ToUnicode CMap.
 */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const fonts = new Map<string, { cmap: Map<number, string>; twoByte: boolean }>();
  const fontObj = new Map<number, { cmap: Map<number, string>; twoByte: boolean }>();
  for (const [n, o] of objs) {
    const tu = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(o.dict);
    if (!tu) continue;
    const cm = objs.get(Number(tu[1]))?.stream?.toString('latin1') ?? '';
    fontObj.set(n, { cmap: parseCMap(cm), twoByte: /\/Subtype\s*\/Type0/.test(o.dict) });
  }
  for (const o of objs.values())
    for (const block of o.dict.match(/\/Font\s*<<([^>]*)>>/g) ?? [])
      for (const [, name, ref] of block.matchAll(/\/([^\s/<>]+)\s+(\d+)\s+0\s+R/g)) {
        const f = fontObj.get(Number(ref));
        if (f) fonts.set(name!, f);
      }
  let text = '';
  for (const o of objs.values()) {
    if (!o.stream || o.dict.includes('/ToUnicode') || !/\bBT\b/.test(o.stream.toString('latin1'))) continue;
    const c = o.stream.toString('latin1');
    let font: { cmap: Map<number, string>; twoByte: boolean } | undefined;
    const decode = (hex: string) => {
      const h = hex.replace(/\s+/g, '');
      const step = font?.twoByte === false ? 2 : 4;
      let out = '';
      for (let i = 0; i + step <= h.length; i += step) {
        const code = parseInt(h.slice(i, i + step), 16);
        out += font?.cmap.get(code) ?? '';
      }
      return out;
    };
    const tok =
      /\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f\s]*)>\s*Tj|\b(Td|TD|Tm|T\*|ET)\b/g;
    for (const m of c.matchAll(tok)) {
      if (m[1] !== undefined) font = fonts.get(m[1]);
      else if (m[2] !== undefined) {
        for (const part of m[2].matchAll(/<([0-9A-Fa-f\s]*)>|(-?[\d.]+)/g)) {
          if (part[1] !== undefined) text += decode(part[1]);
          else if (Number(part[2]) < -200) text += ' ';
        }
      } else if (m[3] !== undefined) text += decode(m[3]);
      else text += ' ';
    }
  }
  // NFKC: the shaper may print ligatures (ﬁ, ﬂ) whose ToUnicode maps to the single ligature code point
  return text.normalize('NFKC').replace(/\s+/g, ' ');
}
