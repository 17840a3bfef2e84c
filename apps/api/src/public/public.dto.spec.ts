import { escapeHtml } from './public-pages';
import { hashTrackingCode, newPostingToken, newTrackingCode } from './public-codes';
import { fileReportSchema, NO_HTML_MESSAGE, trackingCodeSchema } from './public.dto';

describe('fileReportSchema', () => {
  const base = { address: '木渎镇某厂', description: '粉尘很大，没有除尘设备' };

  it('refuses text with tags, comments or a doctype in any field, with the plain-text message', () => {
    for (const bad of ['<script>alert(1)</script>', '看这里<img src=x onerror=alert(1)>', '<!-- x -->说明', '</p>结束', '<?xml version="1.0"?>']) {
      const sut = fileReportSchema.safeParse({ ...base, description: `${bad}粉尘` });
      expect(sut.success).toBe(false);
      expect(sut.error?.issues.map((i) => i.message)).toContain(NO_HTML_MESSAGE);
    }
    expect(fileReportSchema.safeParse({ ...base, enterpriseName: '<b>某厂</b>' }).success).toBe(false);
  });

  it('accepts ordinary text with comparison signs and numbers', () => {
    expect(fileReportSchema.safeParse({ ...base, description: '一氧化碳浓度 < 24 ppm 时也不报警，3<5 米处有积水' }).success).toBe(true);
  });

  it('normalizes a mainland mobile number and refuses anything else', () => {
    expect(fileReportSchema.parse({ ...base, phone: '+86 138-0000-0001' }).phone).toBe('13800000001');
    expect(fileReportSchema.parse({ ...base, phone: '' }).phone).toBeUndefined();
    expect(fileReportSchema.safeParse({ ...base, phone: '12345' }).success).toBe(false);
  });

  it('needs an enterprise name or an address, and no other fields', () => {
    expect(fileReportSchema.safeParse({ description: base.description }).success).toBe(false);
    expect(fileReportSchema.safeParse({ enterpriseName: '  ', description: base.description }).success).toBe(false);
    expect(fileReportSchema.safeParse({ ...base, status: 'confirmed' }).success).toBe(false);
  });
});

describe('tracking codes and posting tokens', () => {
  it('a tracking code is 20 Crockford base32 characters, read case- and separator-insensitively', () => {
    const sut = newTrackingCode();
    expect(sut).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    expect(new Set(Array.from({ length: 200 }, newTrackingCode)).size).toBe(200);
    expect(trackingCodeSchema.parse(`${sut.slice(0, 10).toLowerCase()}-${sut.slice(10)}`)).toBe(sut);
    expect(trackingCodeSchema.safeParse('short').success).toBe(false);
    expect(hashTrackingCode(sut)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a posting token carries 256 random bits (base64url)', () => {
    expect(newPostingToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('escapes markup for the server-rendered posting page', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
