import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MAX_EVIDENCE_PHOTOS } from '@sw/hazards';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Client, type ClientInfo, CurrentPrincipal } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import {
  CatalogueQueryDto,
  ConfirmHazardDto,
  CreateHazardDto,
  HazardFromAlarmDto,
  ListHazardsQueryDto,
  PlanHazardDto,
  ReasonDto,
  SignOffDto,
  SubmitEvidenceDto,
} from './hazards.dto';
import { HazardsService, type UploadedPhoto } from './hazards.service';

/** Largest evidence photo accepted (before metadata is stripped). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

// no `dest` or `storage`: multer keeps the files in memory, so nothing touches the disk before the checks
const evidenceUpload = FilesInterceptor('photos', MAX_EVIDENCE_PHOTOS, { limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_EVIDENCE_PHOTOS, fields: 5 } });

/**
 * The major-hazard register (重大事故隐患, docs/domain.md "The closed loop"). Scoping as for alarms:
 * a hazard outside the caller's region or enterprise answers 404. Each transition is one event
 * with actor, time, reason and from/to, committed with an audit row.
 */
@ApiTags('hazards')
@ApiBearerAuth()
@Controller('hazards')
export class HazardsController {
  constructor(private readonly hazards: HazardsService) {}

  @Get('catalogue')
  @ApiOperation({ summary: '判定标准 catalogue (应急管理部令第10号): articles and items with their risk categories; `category` narrows to the items that apply' })
  catalogue(@Query() q: CatalogueQueryDto) {
    return this.hazards.catalogue(q.category);
  }

  @Get()
  @ApiOperation({
    summary: 'Hazards in scope, newest first',
    description: 'status and source take one value or several separated by commas; category, article (and item), enterpriseId, regionCode (prefix), overdue=true|false; page, pageSize.',
  })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListHazardsQueryDto) {
    const { page, pageSize, regionCode, ...filter } = q;
    return this.hazards.list(p, { ...filter, ...(regionCode && { regionPrefix: regionCode }) }, { page, pageSize });
  }

  @Post()
  @ApiOperation({
    summary: 'Record a hazard (status reported)',
    description:
      'source self_check: enterprise users, their own enterprise (enterpriseId optional); inspection or regulator: regulators and admins, enterpriseId in scope; alarm: alarmId of an alarm disposed as real_hazard (same as POST /alarms/{id}/hazard). 409 when the alarm already has a hazard.',
  })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateHazardDto, @Client() client: ClientInfo) {
    if (body.source === 'alarm') return this.hazards.createFromAlarm(p, body.alarmId as string, body, client);
    return this.hazards.create(p, { ...body, source: body.source }, client);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One hazard with its timeline (events[]: event, at, actor, from, to, reason, data) and evidence photos' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.hazards.get(p, id);
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'An evidence photo (metadata stripped)' })
  async photo(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Param('photoId', ParseIdPipe) photoId: string, @Res() res: Response) {
    const { mime, bytes } = await this.hazards.photo(p, id, photoId);
    res.setHeader('Content-Type', mime);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.send(bytes);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm (regulator, admin): reported → confirmed' })
  confirm(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ConfirmHazardDto, @Client() client: ClientInfo) {
    return this.hazards.act(p, id, { action: 'confirm', ...body }, client);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject as not a major hazard, with a reason (regulator, admin): reported → rejected' })
  reject(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
    return this.hazards.act(p, id, { action: 'reject', reason: body.reason }, client);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rectification plan: measures, funds, responsible, deadline: confirmed|rectifying → rectifying' })
  plan(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: PlanHazardDto, @Client() client: ClientInfo) {
    return this.hazards.act(p, id, { action: 'plan', ...body }, client);
  }

  @Post(':id/evidence')
  @HttpCode(200)
  @UseInterceptors(evidenceUpload)
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string' }, photos: { type: 'array', maxItems: MAX_EVIDENCE_PHOTOS, items: { type: 'string', format: 'binary' } } },
    },
  })
  @ApiOperation({
    summary: 'Submit evidence (enterprise, admin): rectifying → submitted',
    description: 'text, and up to 9 photos (field `photos`): JPEG, PNG or WebP by content, at most 5 MB each; EXIF and other metadata are removed; 413 for a larger file, 400 for another type. Nothing is stored when refused.',
  })
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: SubmitEvidenceDto, @UploadedFiles() files: UploadedPhoto[] | undefined, @Client() client: ClientInfo) {
    return this.hazards.submit(p, id, body.text, files ?? [], client);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return the evidence with a reason (regulator, admin): submitted → rectifying' })
  return(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ReasonDto, @Client() client: ClientInfo) {
    return this.hazards.act(p, id, { action: 'return', reason: body.reason }, client);
  }

  @Post(':id/sign-off')
  @HttpCode(200)
  @ApiOperation({ summary: '销号 (regulator, admin — not the user who confirmed it; 409 otherwise): submitted → signed_off' })
  signOff(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: SignOffDto, @Client() client: ClientInfo) {
    return this.hazards.act(p, id, { action: 'sign_off', ...body }, client);
  }
}

/** `POST /alarms/{id}/hazard`: the alarm disposal's "create a hazard". */
@ApiTags('hazards')
@ApiBearerAuth()
@Controller('alarms')
export class AlarmHazardController {
  constructor(private readonly hazards: HazardsService) {}

  @Post(':id/hazard')
  @ApiOperation({
    summary: 'Record a hazard from an alarm disposed with cause real_hazard',
    description: 'Carries the alarm’s enterprise, point, values and a link back (alarm.alarmId); 409 unless disposed as real_hazard or when it already has one.',
  })
  create(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: HazardFromAlarmDto, @Client() client: ClientInfo) {
    return this.hazards.createFromAlarm(p, id, body, client);
  }
}
