import { containsAscii, jpegWithExif, pngWithMetadata, webpWithExif } from '../testing/evidence-image.factory';
import { sanitizeImage, sniffImage } from './evidence-image';

describe(sanitizeImage.name, () => {
  it('JPEG: drops the APP1/Exif segment, keeps APP0, DQT, the scan and EOI byte for byte', () => {
    const input = jpegWithExif();
    const sut = sanitizeImage(input);
    expect(sut.ok).toBe(true);
    if (!sut.ok) return;
    expect(sut.mime).toBe('image/jpeg');
    expect(sut.removed).toEqual(['APP1/Exif']);
    expect(containsAscii(input, 'GPSLatitude')).toBe(true);
    expect(containsAscii(sut.bytes, 'GPSLatitude')).toBe(false);
    expect(containsAscii(sut.bytes, 'Exif')).toBe(false);
    expect(containsAscii(sut.bytes, 'JFIF')).toBe(true);
    // what follows SOS is unchanged: the output ends with the input's last 80 bytes (SOS header, scan, EOI)
    expect(Buffer.from(sut.bytes.subarray(-80)).equals(Buffer.from(input.subarray(-80)))).toBe(true);
    expect(sut.bytes.length).toBe(input.length - (4 + 6 + 4 + 'GPSLatitude 31.30N GPSLongitude 120.58E Canon EOS'.length));
  });

  it('JPEG without metadata passes unchanged; stripping twice changes nothing', () => {
    const once = sanitizeImage(jpegWithExif());
    const twice = once.ok ? sanitizeImage(once.bytes) : once;
    expect(twice.ok && once.ok && Buffer.from(twice.bytes).equals(Buffer.from(once.bytes))).toBe(true);
    expect(twice.ok && twice.removed).toEqual([]);
  });

  it('PNG: drops tEXt and eXIf, keeps IHDR, IDAT, IEND', () => {
    const sut = sanitizeImage(pngWithMetadata());
    expect(sut.ok && sut.removed).toEqual(['tEXt', 'eXIf']);
    if (!sut.ok) return;
    for (const kept of ['IHDR', 'IDAT', 'IEND']) expect(containsAscii(sut.bytes, kept)).toBe(true);
    expect(containsAscii(sut.bytes, '31.30N')).toBe(false);
  });

  it('WebP: drops EXIF, clears the VP8X EXIF flag, fixes the RIFF size', () => {
    const sut = sanitizeImage(webpWithExif());
    expect(sut.ok && sut.removed).toEqual(['EXIF']);
    if (!sut.ok) return;
    expect(containsAscii(sut.bytes, 'GPS')).toBe(false);
    const view = new DataView(sut.bytes.buffer, sut.bytes.byteOffset, sut.bytes.byteLength);
    expect(view.getUint32(4, true)).toBe(sut.bytes.length - 8);
    expect((sut.bytes[20] as number) & 0x08).toBe(0); // VP8X flags byte: RIFF(12) + chunk header(8)
    expect(sanitizeImage(sut.bytes)).toMatchObject({ ok: true, removed: [] });
  });

  it('refuses a PDF (whatever its name) and plain text as unsupported_type', () => {
    expect(sanitizeImage(Buffer.from('%PDF-1.7\n1 0 obj\n'))).toMatchObject({ ok: false, code: 'unsupported_type' });
    expect(sanitizeImage(Buffer.from('<html>'))).toMatchObject({ ok: false, code: 'unsupported_type' });
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });

  it('refuses truncated or malformed images as corrupt_image', () => {
    const jpeg = jpegWithExif();
    expect(sanitizeImage(jpeg.subarray(0, 30))).toMatchObject({ ok: false, code: 'corrupt_image' });
    expect(sanitizeImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff))).toMatchObject({ ok: false, code: 'corrupt_image' });
    const png = pngWithMetadata();
    expect(sanitizeImage(png.subarray(0, png.length - 12))).toMatchObject({ ok: false, code: 'corrupt_image' }); // no IEND
    const webp = webpWithExif();
    expect(sanitizeImage(webp.subarray(0, 30))).toMatchObject({ ok: false, code: 'corrupt_image' });
  });
});
