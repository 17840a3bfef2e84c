import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { XLSX_TYPE } from './ledger-snapshot-file.codec';
import { LedgerSnapshotsService } from './ledger-snapshots.service';
import { UpwardReminderStatusService } from './upward-reminder-status.service';
import { CreateLedgerSnapshotDto, DocumentQueryDto, FinalizeWorkSummaryDto, OpenWorkSummaryDto, RegionQueryDto, SaveWorkSummaryDto } from './upward.dto';
import { DOCUMENT_TYPES, WorkSummaryDocumentService } from './work-summary-document.service';
import { WorkSummaryService } from './work-summary.service';

/** Upward reporting (上报): ledger snapshots submitted to the city bureau, the half-year work summary, the due-day reminder. */
@ApiTags('upward')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('upward')
export class UpwardController {
  constructor(
    private readonly snapshots: LedgerSnapshotsService,
    private readonly summaries: WorkSummaryService,
    private readonly documents: WorkSummaryDocumentService,
    private readonly reminders: UpwardReminderStatusService,
  ) {}

  @Post('ledger-snapshots')
  @Audited('ledger_snapshot.create', 'ledger_snapshot')
  @ApiOperation({
    summary: 'Freeze the ledger of a region as of a day (immutable), with its diff against the previous submission',
    description: 'Every enterprise registered by `asOf` under the region, with its status, status day and reason as of that day from the status history; the diff lists added, closed (关停), removed and changed enterprises (field, old and new value) against the latest submission of the same region dated on or before `asOf`.',
  })
  createSnapshot(@CurrentPrincipal() p: Principal, @Body() body: CreateLedgerSnapshotDto) {
    return this.snapshots.create(p, body);
  }

  @Get('ledger-snapshots')
  @ApiOperation({ summary: 'Ledger snapshots in scope (newest first, at most 100), with their diff counts and submission' })
  listSnapshots(@CurrentPrincipal() p: Principal, @Query() q: RegionQueryDto) {
    return this.snapshots.list(p, q.regionCode);
  }

  @Get('ledger-snapshots/:id')
  @ApiOperation({ summary: 'A ledger snapshot with its records and diff' })
  getSnapshot(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.snapshots.get(p, id);
  }

  @Get('ledger-snapshots/:id/export')
  @ApiProduces(XLSX_TYPE)
  @ApiOperation({
    summary: "The snapshot in the city bureau's XLSX layout: sheets 企业台账, 变更情况, 报送说明 (Chinese headers; no cell starts with = + - @)",
    description: 'Once submitted, the very file submitted (its SHA-256 in X-File-SHA256 equals the submission record). Audited (ledger_snapshot.export).',
  })
  async exportSnapshot(@CurrentPrincipal() p: Principal, @Client() client: ClientInfo, @Param('id', ParseIdPipe) id: string, @Res() res: Response): Promise<void> {
    const { file, snapshot } = await this.snapshots.file(p, id, client);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="ledger-${snapshot.regionCode}-${snapshot.asOf}.xlsx"`);
    res.send(file);
  }

  @Post('ledger-snapshots/:id/submit')
  @Audited('ledger_snapshot.submit', 'ledger_snapshot')
  @ApiOperation({ summary: 'Submit the snapshot to the city bureau: the XLSX is written once and recorded with who, when and its SHA-256; 409 when already submitted' })
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.snapshots.submit(p, id);
  }

  @Post('summaries')
  @Audited('work_summary.open', 'work_summary')
  @ApiOperation({
    summary: 'The half-year work summary of a region: the stored one, or a new draft with the period’s figures',
    description: 'Six sections (the plan’s task groups) with figures from the stored KPI half-year report snapshot, the hazard register, public reports, inspections (when the platform has them) and risk grades, and a narrative per section.',
  })
  openSummary(@CurrentPrincipal() p: Principal, @Body() body: OpenWorkSummaryDto) {
    return this.summaries.open(p, body);
  }

  @Get('summaries')
  @ApiOperation({ summary: 'Work summaries in scope (newest period first)' })
  listSummaries(@CurrentPrincipal() p: Principal, @Query() q: RegionQueryDto) {
    return this.summaries.list(p, q.regionCode);
  }

  @Get('summaries/:id')
  @ApiOperation({ summary: 'A work summary with its sections, figures and narratives' })
  getSummary(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.summaries.get(p, id);
  }

  @Put('summaries/:id/narratives')
  @Audited('work_summary.save', 'work_summary')
  @ApiOperation({ summary: 'Save the draft’s narratives; 409 once finalized (code summary_final) or when `revision` is stale (summary_stale)' })
  save(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: SaveWorkSummaryDto) {
    return this.summaries.saveDraft(p, id, body);
  }

  @Post('summaries/:id/figures')
  @Audited('work_summary.refresh', 'work_summary')
  @ApiOperation({ summary: 'Take the draft’s figures again from the data as it is now (newest KPI report version); 409 once finalized' })
  refresh(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.summaries.refreshFigures(p, id);
  }

  @Post('summaries/:id/finalize')
  @Audited('work_summary.finalize', 'work_summary')
  @ApiOperation({ summary: 'Finalize: figures and narratives are frozen; every later change answers 409' })
  finalize(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: FinalizeWorkSummaryDto) {
    return this.summaries.finalize(p, id, body.revision);
  }

  @Get('summaries/:id/document')
  @ApiProduces(DOCUMENT_TYPES.docx, DOCUMENT_TYPES.pdf)
  @ApiOperation({ summary: 'The work summary as DOCX (Word) or PDF (embedded CJK font)' })
  async document(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Query() q: DocumentQueryDto, @Res() res: Response): Promise<void> {
    const summary = await this.summaries.get(p, id);
    const file = await this.documents.render(summary, q.format);
    res.setHeader('Content-Type', DOCUMENT_TYPES[q.format]);
    res.setHeader('Content-Disposition', `attachment; filename="work-summary-${summary.regionCode}-${summary.from}-${summary.to}${summary.status === 'final' ? '' : '-draft'}.${q.format}"`);
    res.send(file);
  }

  @Get('reminder')
  @ApiOperation({ summary: 'The due-day reminder banner: the due day (4 June, 4 December) whose 10-day window today is in, and whether the ledger is submitted and the summary finalized' })
  reminder(@CurrentPrincipal() p: Principal, @Query() q: RegionQueryDto) {
    return this.reminders.status(p, q.regionCode);
  }
}
