// Test support: hand-built zip files (the shapes a hostile XLSX upload can take).
import { deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** the bytes stored in the zip (already deflated when method is 8) */
  stored: Buffer;
  method?: 0 | 8;
  /** the uncompressed size the headers declare (default: the real one of a stored entry) */
  declaredSize?: number;
}

/** A deflated part declaring its true size. */
export function deflatedPart(name: string, content: Buffer | string): ZipPart {
  const raw = typeof content === 'string' ? Buffer.from(content) : content;
  return { name, stored: deflateRawSync(raw), method: 8, declaredSize: raw.length };
}

/** A zip of `parts` (CRC fields left 0: the guard under test reads sizes, not checksums). */
export function buildZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const method = p.method ?? 0;
    const size = p.declaredSize ?? p.stored.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(p.stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(p.stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.stored);
    centrals.push(central, name);
    offset += 30 + name.length + p.stored.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A ~5 KiB file whose one sheet declares ~4 GiB (the deflate of 4 MiB of zeros, sized as 4 GiB − 1 KiB). */
export function declaredBomb(): Buffer {
  const part = deflatedPart('xl/worksheets/sheet1.xml', Buffer.alloc(4 * 1024 * 1024));
  return buildZip([{ ...part, declaredSize: 0xffffffff - 1024 }]);
}
