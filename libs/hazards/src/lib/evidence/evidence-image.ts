/**
 * Evidence photos: the type is decided by the content (magic bytes), never by the name, and the
 * metadata that can carry a location or a device (EXIF, XMP, text chunks) is removed by walking
 * the container's structure — no re-encoding, so the pixels are untouched.
 */
export type EvidenceMime = 'image/jpeg' | 'image/png' | 'image/webp';

export type SanitizeResult =
  | { ok: true; mime: EvidenceMime; bytes: Uint8Array; removed: string[] }
  | { ok: false; code: 'unsupported_type' | 'corrupt_image'; reason: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image type by its first bytes; null for anything else (a PDF renamed .jpg included). */
export function sniffImage(b: Uint8Array): EvidenceMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

/** Checks the type and strips metadata; a file that does not parse is refused, not passed through. */
export function sanitizeImage(b: Uint8Array): SanitizeResult {
  const mime = sniffImage(b);
  if (!mime) return { ok: false, code: 'unsupported_type', reason: 'only JPEG, PNG and WebP images are accepted' };
  try {
    const { bytes, removed } = mime === 'image/jpeg' ? stripJpeg(b) : mime === 'image/png' ? stripPng(b) : stripWebp(b);
    return { ok: true, mime, bytes, removed };
  } catch (err) {
    return { ok: false, code: 'corrupt_image', reason: `not a readable ${mime.slice(6).toUpperCase()} image: ${(err as Error).message}` };
  }
}

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * JPEG: SOI, then marker segments up to SOS; APP1 segments (EXIF, XMP) are dropped, the rest is
 * copied. From SOS on (entropy-coded data and what follows) the bytes are copied unchanged.
 */
export function stripJpeg(b: Uint8Array): { bytes: Uint8Array; removed: string[] } {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  const removed: string[] = [];
  let i = 2;
  for (;;) {
    if (i >= b.length) throw new Error('ends before the image data');
    if (b[i] !== 0xff) throw new Error(`no marker at byte ${i}`);
    let m = i + 1;
    while (m < b.length && b[m] === 0xff) m++; // fill bytes
    if (m >= b.length) throw new Error('ends inside a marker');
    const marker = b[m] as number;
    const start = m - 1; // keep one 0xff
    if (marker === 0xd9) {
      parts.push(b.subarray(start, m + 1));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(b.subarray(start, m + 1)); // standalone
      i = m + 1;
      continue;
    }
    if (m + 2 >= b.length) throw new Error('ends inside a segment length');
    const len = ((b[m + 1] as number) << 8) | (b[m + 2] as number);
    if (len < 2 || m + 1 + len > b.length) throw new Error(`segment 0xff${marker.toString(16)} overruns the file`);
    const end = m + 1 + len;
    if (marker === 0xda) {
      parts.push(b.subarray(start)); // SOS: the scan and everything after it
      break;
    }
    if (marker === 0xe1) removed.push(ascii(b, m + 3, Math.min(4, len - 2)) === 'Exif' ? 'APP1/Exif' : 'APP1');
    else parts.push(b.subarray(start, end));
    i = end;
  }
  return { bytes: concat(parts), removed };
}

const PNG_DROP = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);

/** PNG: signature, then chunks (length, type, data, CRC) up to IEND; metadata chunks are dropped. */
export function stripPng(b: Uint8Array): { bytes: Uint8Array; removed: string[] } {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  const removed: string[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 8;
  let sawEnd = false;
  while (i < b.length) {
    if (i + 12 > b.length) throw new Error('truncated chunk');
    const len = view.getUint32(i);
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + len;
    if (end > b.length) throw new Error(`chunk ${type} overruns the file`);
    if (PNG_DROP.has(type)) removed.push(type);
    else parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new Error('no IEND chunk');
  return { bytes: concat(parts), removed };
}

const WEBP_DROP = new Set(['EXIF', 'XMP ']);

/** WebP: RIFF container of chunks; EXIF and XMP chunks are dropped and VP8X's flags for them cleared. */
export function stripWebp(b: Uint8Array): { bytes: Uint8Array; removed: string[] } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const riffEnd = 8 + view.getUint32(4, true);
  if (riffEnd > b.length) throw new Error('RIFF size overruns the file');
  const parts: Uint8Array[] = [];
  const removed: string[] = [];
  let i = 12;
  while (i < riffEnd) {
    if (i + 8 > riffEnd) throw new Error('truncated chunk');
    const type = ascii(b, i, 4);
    const len = view.getUint32(i + 4, true);
    const end = i + 8 + len + (len % 2);
    if (end > riffEnd) throw new Error(`chunk ${type} overruns the file`);
    if (WEBP_DROP.has(type)) removed.push(type.trim());
    else if (type === 'VP8X') {
      const copy = b.slice(i, end);
      copy[8] = (copy[8] as number) & ~0x0c; // clear the EXIF (0x08) and XMP (0x04) flags
      parts.push(copy);
    } else parts.push(b.subarray(i, end));
    i = end;
  }
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  return { bytes: concat([header, body]), removed };
}
