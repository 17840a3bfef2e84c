import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@sw/errors';
import { findCatalogueItem, isOverdue } from '@sw/hazards';
import { PostingLinkRepository } from '@sw/persistence';
import QRCode from 'qrcode';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { postingPage } from './public-pages';
import { postingTokenSchema } from './public.dto';

/** Where a posting page lives, for links and QR codes. */
export function postingPath(token: string): string {
  return `/api/v1/public/postings/${token}`;
}

/** 内部公示 pages: only the hazards of the enterprise behind a live token; anything else is 404. */
@Injectable()
export class PublicPostingsService {
  constructor(
    private readonly links: PostingLinkRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  urlOf(token: string, requestOrigin: string): string {
    return `${(this.config.PUBLIC_BASE_URL ?? requestOrigin).replace(/\/+$/, '')}${postingPath(token)}`;
  }

  async hazards(token: string) {
    const found = await this.find(token);
    const now = Date.now();
    return {
      enterpriseName: found.enterpriseName,
      hazards: found.hazards.map((h) => {
        const item = findCatalogueItem(h.article, h.item);
        return {
          basis: item ? { label: item.label, title: item.title } : null,
          description: h.description,
          foundAt: h.reportedAt,
          measures: h.plan?.measures ?? null,
          deadline: h.plan?.deadline ?? null,
          status: h.status,
          overdue: isOverdue(h, now),
          signedOffAt: h.signedOffAt,
        };
      }),
    };
  }

  async page(token: string, requestOrigin: string): Promise<string> {
    const found = await this.find(token);
    const qr = await QRCode.toString(this.urlOf(token, requestOrigin), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return postingPage(found.enterpriseName, found.hazards, qr, Date.now());
  }

  async qr(token: string, requestOrigin: string, format: 'svg' | 'png'): Promise<string | Buffer> {
    await this.find(token);
    const url = this.urlOf(token, requestOrigin);
    return format === 'svg' ? QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) : QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
  }

  private async find(token: string) {
    const found = postingTokenSchema.safeParse(token).success ? await this.links.posting(token) : null;
    if (!found) throw notFound('没有这个公示页 (no such posting page)');
    return found;
  }
}
