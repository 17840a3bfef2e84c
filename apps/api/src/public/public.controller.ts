import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Res, UploadedFiles, UseFilters, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Client, type ClientInfo, Public } from '../auth/auth.decorator';
import { PAGE_CSP, REPORT_PAGE_SCRIPT, reportPage } from './public-pages';
import { PublicPostingsService } from './public-postings.service';
import { MAX_REPORT_PHOTO_BYTES, MAX_REPORT_PHOTOS, PublicReportsService, type ReportUpload } from './public-reports.service';
import { PublicUploadFilter } from './public-upload.filter';
import { FileReportDto, trackingCodeSchema } from './public.dto';

// memory storage: the photos are checked before anything touches the disk
const reportUpload = FilesInterceptor('photos', MAX_REPORT_PHOTOS, {
  limits: { fileSize: MAX_REPORT_PHOTO_BYTES, files: MAX_REPORT_PHOTOS, fields: 8, fieldSize: 16 * 1024, parts: MAX_REPORT_PHOTOS + 8 },
});

const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * The public endpoints (no login): 举报 and 内部公示 posting pages. They reach nothing but their
 * own store and the posting links; pages are plain HTML with a strict CSP.
 */
@ApiTags('public')
@Public()
@Controller('public')
export class PublicController {
  constructor(
    private readonly reports: PublicReportsService,
    private readonly postings: PublicPostingsService,
  ) {}

  @Get('report')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: '举报 page (Chinese, phone-first): file a report and look one up by its code' })
  @ApiProduces('text/html')
  reportPage(): string {
    return reportPage();
  }

  @Get('report.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiExcludeEndpoint()
  reportScript(): string {
    return REPORT_PAGE_SCRIPT;
  }

  @Post('reports')
  @HttpCode(201)
  @UseInterceptors(reportUpload)
  @UseFilters(PublicUploadFilter)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['description'],
      properties: {
        enterpriseName: { type: 'string', maxLength: 100 },
        address: { type: 'string', maxLength: 200 },
        description: { type: 'string', minLength: 5, maxLength: 2000 },
        phone: { type: 'string', description: 'optional mainland mobile number' },
        photos: { type: 'array', maxItems: MAX_REPORT_PHOTOS, items: { type: 'string', format: 'binary' } },
      },
    },
  })
  @ApiOperation({
    summary: 'File a public report (举报), no login → {code, status, statusLabel, createdAt}',
    description:
      'enterpriseName or address, description, optional phone; up to 5 photos (field `photos`), JPEG/PNG/WebP by content, ≤ 5 MB each, metadata removed. ' +
      'Text containing HTML tags is refused (400). The tracking code is answered once and stored only as a hash. ' +
      'Limits: PUBLIC_REPORTS_PER_IP_HOUR per client IP per hour, PUBLIC_REPORTS_PER_PHONE_DAY per phone per day → 429 with Retry-After. Nothing is stored when refused.',
  })
  file(@Body() body: FileReportDto, @UploadedFiles() files: ReportUpload[] | undefined, @Client() client: ClientInfo) {
    return this.reports.file(body, files ?? [], client);
  }

  @Get('reports/:code')
  @ApiOperation({ summary: 'A report’s status and the bureau’s reply, by its tracking code (404 for any other code)' })
  status(@Param('code') code: string) {
    const parsed = trackingCodeSchema.safeParse(code);
    return this.reports.status(parsed.success ? parsed.data : '');
  }

  @Get('postings/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('Cache-Control', 'no-store')
  @Header('X-Robots-Tag', 'noindex')
  @ApiProduces('text/html')
  @ApiOperation({ summary: '内部公示 page of one enterprise: its hazards (item, found, measures, deadline, status, signed off) and the QR code; 404 when revoked' })
  posting(@Param('token') token: string, @Req() req: Request) {
    return this.postings.page(token, originOf(req));
  }

  @Get('postings/:token/hazards')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '内部公示 as JSON: {enterpriseName, hazards[]}; 404 when revoked' })
  postingHazards(@Param('token') token: string) {
    return this.postings.hazards(token);
  }

  @Get('postings/:token/qr.svg')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'QR code of the posting page (SVG)' })
  async qrSvg(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    const svg = await this.postings.qr(token, originOf(req), 'svg');
    res.setHeader('Content-Type', 'image/svg+xml');
    res.setHeader('Cache-Control', 'no-store');
    res.send(svg);
  }

  @Get('postings/:token/qr.png')
  @ApiProduces('image/png')
  @ApiOperation({ summary: 'QR code of the posting page (PNG, 512 px), for printing' })
  async qrPng(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    const png = await this.postings.qr(token, originOf(req), 'png');
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('Cache-Control', 'no-store');
    res.send(png);
  }
}
