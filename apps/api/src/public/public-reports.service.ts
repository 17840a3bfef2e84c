import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type DomainError, invalid, notFound, rateLimited } from '@sw/errors';
import { type EvidenceMime, sanitizeImage } from '@sw/hazards';
import { PUBLIC_REPORT_STATUSES, PublicReportStore, type RateLimit } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { ClientInfo } from '../auth/auth.decorator';
import { EvidenceStorageService } from '../hazards/evidence-storage.service';
import { hashTrackingCode, newTrackingCode } from './public-codes';
import type { FileReportDto } from './public.dto';

/** Most photos one public report carries (docs/domain.md: up to 5). */
export const MAX_REPORT_PHOTOS = 5;
export const MAX_REPORT_PHOTO_BYTES = 5 * 1024 * 1024;

/** What the reporter reads for each status. */
export const STATUS_LABEL: Record<(typeof PUBLIC_REPORT_STATUSES)[number], string> = {
  received: '已受理',
  assigned: '已分派核查',
  verifying: '核查中',
  confirmed: '查实',
  unfounded: '不实',
};

export interface ReportUpload {
  originalname: string;
  buffer: Buffer;
}

/**
 * 举报 from the public: checks (text, photos by content, limits) first and in memory, then one
 * transaction that counts the per-IP and per-phone limits, stores the report and writes the photos.
 * Anything refused leaves nothing behind.
 */
@Injectable()
export class PublicReportsService {
  constructor(
    private readonly store: PublicReportStore,
    private readonly storage: EvidenceStorageService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async file(body: FileReportDto, files: ReportUpload[], client: ClientInfo): Promise<{ code: string; status: string; statusLabel: string; createdAt: string }> {
    if (files.length > MAX_REPORT_PHOTOS) throw refused(`最多上传 ${MAX_REPORT_PHOTOS} 张照片 (at most ${MAX_REPORT_PHOTOS} photos)`, 'too_many_photos');
    const photos: { id: string; sha256: string; mime: EvidenceMime; size: number; position: number; bytes: Uint8Array }[] = [];
    for (const [position, f] of files.entries()) {
      const checked = sanitizeImage(f.buffer);
      if (!checked.ok) {
        const zh = checked.code === 'unsupported_type' ? '只接受 JPEG、PNG 或 WebP 照片' : '照片文件已损坏，无法读取';
        throw refused(`${zh}：${f.originalname} (${checked.reason})`, checked.code);
      }
      photos.push({ id: randomUUID(), sha256: EvidenceStorageService.hash(checked.bytes), mime: checked.mime, size: checked.bytes.length, position, bytes: checked.bytes });
    }
    const code = newTrackingCode();
    const limits: RateLimit[] = [{ key: `ip:${client.ip ?? 'unknown'}`, max: this.config.PUBLIC_REPORTS_PER_IP_HOUR, windowMs: 3_600_000 }];
    if (body.phone) limits.push({ key: `phone:${body.phone}`, max: this.config.PUBLIC_REPORTS_PER_PHONE_DAY, windowMs: 86_400_000 });
    const outcome = await this.store.file(
      {
        id: randomUUID(),
        codeHash: hashTrackingCode(code),
        enterpriseName: body.enterpriseName ?? null,
        address: body.address ?? null,
        description: body.description,
        phone: body.phone ?? null,
        photos: photos.map((p) => ({ id: p.id, sha256: p.sha256, mime: p.mime, size: p.size, position: p.position })),
      },
      limits,
      new Date(),
      async () => {
        const paths: string[] = [];
        for (const p of photos) paths.push((await this.storage.put(p.bytes, p.mime)).storagePath);
        return paths;
      },
      { ip: client.ip, userAgent: client.userAgent },
    );
    if (!outcome.ok) {
      const what = outcome.key.startsWith('phone:') ? '该手机号今日举报次数已达上限' : '举报过于频繁，请稍后再试';
      throw rateLimited(`${what} (too many reports; retry after ${outcome.retryAfterS} s)`, outcome.retryAfterS, 'rate_limited');
    }
    const r = outcome.report;
    return { code, status: r.status, statusLabel: STATUS_LABEL[r.status], createdAt: r.createdAt };
  }

  /** Status and reply of the one report the code belongs to; 404 for any other code. */
  async status(normalizedCode: string) {
    const view = await this.store.statusByCode(hashTrackingCode(normalizedCode));
    if (!view) throw notFound('没有找到该查询码对应的举报 (no report with this code)');
    return { ...view, statusLabel: STATUS_LABEL[view.status] };
  }
}

function refused(message: string, code: string): DomainError {
  return invalid(message, code);
}
