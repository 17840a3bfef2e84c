import { Controller, Delete, Get, HttpCode, Inject, Injectable, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '@sw/errors';
import { type PostingLinkRow, PostingLinkRepository, type Principal, visibleTo } from '@sw/persistence';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Client, type ClientInfo, CurrentPrincipal } from '../auth/auth.decorator';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { ParseIdPipe } from '../http/id.pipe';
import { newPostingToken } from '../public/public-codes';
import { postingPath } from '../public/public-postings.service';

/** 内部公示 links of an enterprise: regulators in scope and the enterprise's own users manage them. */
@Injectable()
export class PostingLinksService {
  constructor(
    private readonly links: PostingLinkRepository,
    private readonly ds: DataSource,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async current(p: Principal, enterpriseId: string, origin: string) {
    await this.enterpriseInScope(p, enterpriseId);
    const link = await this.links.live(enterpriseId);
    return link ? this.view(link, origin) : null;
  }

  async create(p: Principal, enterpriseId: string, origin: string, client: ClientInfo) {
    await this.enterpriseInScope(p, enterpriseId);
    const link = await this.links.create(enterpriseId, newPostingToken(), new Date(), { actor: { id: p.id, username: p.username, role: p.role }, ip: client.ip, userAgent: client.userAgent });
    return this.view(link, origin);
  }

  async revoke(p: Principal, enterpriseId: string, client: ClientInfo) {
    await this.enterpriseInScope(p, enterpriseId);
    const revoked = await this.links.revoke(enterpriseId, new Date(), { actor: { id: p.id, username: p.username, role: p.role }, ip: client.ip, userAgent: client.userAgent });
    if (!revoked) throw notFound('no live posting link');
  }

  private view(link: PostingLinkRow, origin: string) {
    const url = `${(this.config.PUBLIC_BASE_URL ?? origin).replace(/\/+$/, '')}${postingPath(link.token)}`;
    return { ...link, url, qrSvg: `${postingPath(link.token)}/qr.svg`, qrPng: `${postingPath(link.token)}/qr.png` };
  }

  private async enterpriseInScope(p: Principal, enterpriseId: string): Promise<void> {
    const rows: { id: string; region_code: string }[] = await this.ds.query(`SELECT id, region_code FROM enterprises WHERE id = $1`, [enterpriseId]);
    visibleTo(p, rows[0], (e) => ({ enterpriseId: e.id, regionCode: e.region_code }), `enterprise ${enterpriseId}`);
  }
}

const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

@ApiTags('posting links (内部公示)')
@ApiBearerAuth()
@Controller('enterprises')
export class PostingLinksController {
  constructor(private readonly links: PostingLinksService) {}

  @Get(':id/posting-link')
  @ApiOperation({ summary: 'The enterprise’s live posting link {token, url, qrSvg, qrPng, createdAt}; 204 (no body) when none' })
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const link = await this.links.current(p, id, originOf(req));
    if (!link) res.status(204);
    return link ?? undefined;
  }

  @Post(':id/posting-link')
  @ApiOperation({ summary: 'Create the posting link (regulator in scope, admin, or the enterprise’s own user); a live one is revoked first' })
  create(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Req() req: Request, @Client() client: ClientInfo) {
    return this.links.create(p, id, originOf(req), client);
  }

  @Delete(':id/posting-link')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the posting link: the page answers 404 from then on' })
  revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Client() client: ClientInfo) {
    return this.links.revoke(p, id, client);
  }
}
