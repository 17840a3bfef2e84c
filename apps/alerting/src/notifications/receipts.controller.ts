import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ReceiptsGuard } from './receipts.guard';
import { ReceiptsService, type DeliveryReceipt } from './receipts.service';

/** Aliyun SmsReport HTTP batch push: a JSON array (Aliyun’s documented SmsReport format). */
const aliyunReceipts = z.array(
  z.object({
    phone_number: z.string().optional(),
    success: z.union([z.boolean(), z.string()]),
    err_code: z.string().optional(),
    err_msg: z.string().optional(),
    biz_id: z.string().optional(),
    out_id: z.string().optional(),
    report_time: z.string().optional(),
  }),
);

/**
 * `POST /notifications/receipts/aliyun/{SMS_RECEIPT_TOKEN}`: delivery receipts, authenticated by
 * {@link ReceiptsGuard}. A receipt names our message by `out_id` (the row's dedup key); the ones
 * without are ignored. Answers `{"code":0,"msg":"成功"}` as Aliyun expects (anything else makes it
 * push again).
 */
@Controller('notifications/receipts')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Post('aliyun/:token')
  @HttpCode(200)
  @UseGuards(ReceiptsGuard)
  async aliyun(@Body() body: unknown): Promise<{ code: number; msg: string }> {
    const parsed = aliyunReceipts.safeParse(body);
    if (!parsed.success) return { code: 1, msg: 'invalid body' };
    await this.receipts.record(
      parsed.data.flatMap((r): DeliveryReceipt[] => {
        if (!r.out_id) return [];
        const delivered = r.success === true || r.success === 'true';
        return [{ provider: 'aliyun-sms', dedupKey: r.out_id, vendorId: r.biz_id ?? null, delivered, reason: delivered ? null : `${r.err_code ?? ''} ${r.err_msg ?? ''}`.trim() }];
      }),
    );
    return { code: 0, msg: '成功' };
  }
}
