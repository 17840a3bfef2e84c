import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Text that looks like markup: `<` followed by a letter, `/`, `!` or `?` (a tag, a comment, a doctype). */
const TAG = /<\s*[a-zA-Z/!?]/;
export const NO_HTML_MESSAGE = '不接受 HTML 或标签，请只填写文字 (HTML is not accepted: plain text only)';

const plain = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !TAG.test(s), { message: NO_HTML_MESSAGE });
const optionalPlain = (max: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), plain(max).optional());

/** Mainland mobile numbers; spaces, dashes and a +86 prefix are dropped first. */
const phone = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/[\s-]/g, '').replace(/^\+?86/, '') || undefined : v),
  z.string().regex(/^1[3-9]\d{9}$/, '手机号格式不正确 (a mainland mobile number, 11 digits)').optional(),
);

/** 举报: multipart form fields beside the `photos` files (or a JSON body without photos). */
export const fileReportSchema = z
  .object({
    enterpriseName: optionalPlain(100),
    address: optionalPlain(200),
    description: plain(2000, 5),
    phone,
  })
  .strict()
  .refine((b) => b.enterpriseName || b.address, { message: '请填写企业名称或地址 (an enterprise name or an address is required)', path: ['enterpriseName'] });

export class FileReportDto extends createZodDto(fileReportSchema) {}

/** A tracking code as typed: letters and digits, case and separators ignored. */
export const trackingCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-Z]{16,64}$/, 'not a tracking code'));

export const postingTokenSchema = z.string().regex(/^[0-9A-Za-z_-]{24,64}$/);
