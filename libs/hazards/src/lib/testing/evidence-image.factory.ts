// Builds small, structurally valid images with metadata in them, for specs (no codec involved:
// the stripper works on the container structure, so the pixel data here is placeholder bytes).

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function jpegSegment(marker: number, payload: Uint8Array): Uint8Array {
  const len = payload.length + 2;
  return concat([Uint8Array.of(0xff, marker, len >> 8, len & 0xff), payload]);
}

/** A JPEG with APP0 (JFIF), APP1 (Exif, with a GPS-looking string), DQT, SOS + scan data, EOI. */
export function jpegWithExif(opts: { exifText?: string; scanBytes?: number } = {}): Uint8Array {
  const exif = concat([enc('Exif\0\0'), enc('MM\0*'), enc(opts.exifText ?? 'GPSLatitude 31.30N GPSLongitude 120.58E Canon EOS')]);
  const scan = new Uint8Array(opts.scanBytes ?? 64).map((_, i) => (i * 7) % 0xfe); // no 0xff in the scan
  return concat([
    Uint8Array.of(0xff, 0xd8),
    jpegSegment(0xe0, concat([enc('JFIF\0'), Uint8Array.of(1, 1, 0, 0, 1, 0, 1, 0, 0)])),
    jpegSegment(0xe1, exif),
    jpegSegment(0xdb, new Uint8Array(65)),
    jpegSegment(0xda, Uint8Array.of(1, 1, 0, 0, 0x3f, 0)),
    scan,
    Uint8Array.of(0xff, 0xd9),
  ]);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(enc(type), 4);
  return concat([head, data, new Uint8Array(4)]); // CRC not checked by the stripper
}

/** A PNG with tEXt and eXIf chunks around IHDR/IDAT/IEND. */
export function pngWithMetadata(): Uint8Array {
  return concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0)),
    pngChunk('tEXt', enc('Author\0someone at 31.30N')),
    pngChunk('eXIf', enc('MM\0*GPS')),
    pngChunk('IDAT', new Uint8Array(12)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

function webpChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  head.set(enc(type), 0);
  new DataView(head.buffer).setUint32(4, data.length, true);
  return concat([head, data, data.length % 2 ? new Uint8Array(1) : new Uint8Array(0)]);
}

/** An extended WebP (VP8X with the EXIF flag) with VP8 data and an EXIF chunk. */
export function webpWithExif(): Uint8Array {
  const body = concat([
    enc('WEBP'),
    webpChunk('VP8X', Uint8Array.of(0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    webpChunk('VP8 ', new Uint8Array(21)),
    webpChunk('EXIF', enc('MM\0*GPS 31.30N')),
  ]);
  const head = new Uint8Array(8);
  head.set(enc('RIFF'), 0);
  new DataView(head.buffer).setUint32(4, body.length, true);
  return concat([head, body]);
}

/** Whether `needle` (ASCII) occurs in `hay`. */
export function containsAscii(hay: Uint8Array, needle: string): boolean {
  // plain bytes, no Node Buffer: the lib is pure and also compiled for the browser (the console)
  const n = Array.from(needle, (c) => c.charCodeAt(0) & 0xff);
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}
