import { Controller, Get, Header, HttpCode, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertInternalAccess, hasInternalAccess } from './internal-access.guard';
import { INTERNAL_ACCESS_TOKEN, OBSERVABILITY_PROBE, type ObservabilityProbe } from './observability.types';

/**
 * `GET /health` (liveness: `{status}` for anyone, 503 on `error`; each dependency and its error text
 * only with internal access) and `GET /metrics` (Prometheus text, internal access only: see
 * `hasInternalAccess`). What is reported is the app's `ObservabilityProbe`.
 */
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(OBSERVABILITY_PROBE) private readonly probe: ObservabilityProbe,
    @Inject(INTERNAL_ACCESS_TOKEN) private readonly metricsToken: string | undefined,
  ) {}

  @Get('health')
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const report = await this.probe.health();
    res.status(report.status === 'error' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    if (!hasInternalAccess(req, this.metricsToken)) return { status: report.status };
    return { status: report.status, ...(await report.details()) };
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    assertInternalAccess(req, res, this.metricsToken);
    return this.probe.metrics();
  }
}
