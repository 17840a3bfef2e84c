import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MAX_EVIDENCE_PHOTOS } from '@sw/hazards';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { MAX_PHOTO_BYTES } from '../hazards/hazards.controller';
import type { UploadedPhoto } from '../hazards/hazards.service';
import { ParseIdPipe } from '../http/id.pipe';
import { InspectionRecordPdfService } from './inspection-record-pdf.service';
import {
  AddFindingDto,
  CancelInspectionDto,
  CloseInspectionDto,
  CreateInspectionDto,
  DueQueryDto,
  IssueOrderDto,
  ListInspectionsQueryDto,
  PenaltyDto,
  InspectionPhotosDto,
  RecordInspectionDto,
  ReinspectDto,
} from './inspections.dto';
import { InspectionsService } from './inspections.service';

const photoUpload = FilesInterceptor('photos', MAX_EVIDENCE_PHOTOS, { limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_EVIDENCE_PHOTOS, fields: 5 } });

/**
 * Inspection records (执法检查, docs/domain.md "The closed loop"). Scoping as for alarms: an
 * enterprise user reads its own inspections and orders; every change is a regulator's or admin's.
 */
@ApiTags('inspections')
@ApiBearerAuth()
@Controller('inspections')
export class InspectionsController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly pdf: InspectionRecordPdfService,
  ) {}

  @Get('due')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'Due list: enterprises whose level-based inspection is due or overdue (red monthly, orange quarterly, yellow half-yearly, blue yearly); all=true lists every enterprise' })
  due(@CurrentPrincipal() p: Principal, @Query() q: DueQueryDto) {
    return this.inspections.due(p, q.regionCode, q.asOf, q.all === 'true');
  }

  @Get()
  @ApiOperation({ summary: 'Inspections in scope, newest visit first (enterpriseId, regionCode, status, mode, drawId, paging)' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListInspectionsQueryDto) {
    const { page, pageSize, regionCode, ...f } = q;
    return this.inspections.list(p, { ...f, ...(regionCode && { regionPrefix: regionCode }) }, { page, pageSize });
  }

  @Post()
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'A planned inspection (task) of any mode; online_patrol from an alarm (alarmId) or an enterprise (enterpriseId)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateInspectionDto, @Client() client: ClientInfo) {
    return this.inspections.create(p, body, client);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One inspection: team, checklist, photos, findings (hazardId of a major one), order, re-inspections, penalties, events' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.inspections.get(p, id);
  }

  @Get(':id/record.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The printable inspection record (现场检查记录), Chinese, CJK font embedded' })
  async record(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Res() res: Response) {
    const file = await this.pdf.render(await this.inspections.get(p, id));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="inspection-${id}.pdf"`);
    res.send(file);
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'A photo of the visit (metadata stripped)' })
  async photo(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Param('photoId', ParseIdPipe) photoId: string, @Res() res: Response) {
    const { mime, bytes } = await this.inspections.photo(p, id, photoId);
    res.setHeader('Content-Type', mime);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(bytes);
  }

  @Post(':id/record')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'The visit: visitDate, ≥ 2 inspectorIds (active, not related: 409 conflict_of_interest), checklist results: planned|recorded → recorded' })
  recordVisit(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: RecordInspectionDto, @Client() client: ClientInfo) {
    return this.inspections.record(p, id, body, client);
  }

  @Post(':id/photos')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @UseInterceptors(photoUpload)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { checklistItemId: { type: 'integer' }, photos: { type: 'array', maxItems: MAX_EVIDENCE_PHOTOS, items: { type: 'string', format: 'binary' } } } } })
  @ApiOperation({ summary: 'Photos of the visit or of one checklist item: JPEG, PNG or WebP by content, ≤ 5 MB, metadata removed (as hazard evidence)' })
  photos(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: InspectionPhotosDto, @UploadedFiles() files: UploadedPhoto[] | undefined, @Client() client: ClientInfo) {
    return this.inspections.addPhotos(p, id, files ?? [], body.checklistItemId, client);
  }

  @Post(':id/findings')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'A finding: major (article, item) becomes a confirmed hazard in the register with source inspection; general stays on the record' })
  finding(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: AddFindingDto, @Client() client: ClientInfo) {
    return this.inspections.addFinding(p, id, body, client);
  }

  @Post(':id/order')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '责令整改: number (unique), deadline, requirements: recorded → rectifying' })
  order(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: IssueOrderDto, @Client() client: ClientInfo) {
    return this.inspections.order(p, id, body, client);
  }

  @Post(':id/reinspection')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '复查: passed closes the order and the inspection (rectifying → closed); failed keeps it rectifying' })
  reinspect(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ReinspectDto, @Client() client: ClientInfo) {
    return this.inspections.reinspect(p, id, body, client);
  }

  @Post(':id/penalty')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: '行政处罚: legal basis, amount (yuan), decision number (unique), decidedOn' })
  penalty(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: PenaltyDto, @Client() client: ClientInfo) {
    return this.inspections.penalty(p, id, body, client);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'Close a recorded inspection that needs no order: recorded → closed' })
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: CloseInspectionDto, @Client() client: ClientInfo) {
    return this.inspections.close(p, id, body.comment, client);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'Cancel a planned inspection, with a reason: planned → cancelled' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: CancelInspectionDto, @Client() client: ClientInfo) {
    return this.inspections.cancel(p, id, body.reason, client);
  }
}
