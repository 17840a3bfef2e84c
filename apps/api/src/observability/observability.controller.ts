import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ObservabilityController as ShellObservabilityController } from '@sw/platform';
import { Public } from '../auth/auth.decorator';

/**
 * The shell's `GET /health` and `GET /metrics` (libs/platform), outside `/api/v1` and the OpenAPI
 * document, and without a bearer JWT: internal access is checked by the shell (METRICS_TOKEN).
 */
@ApiExcludeController()
@Public()
@Controller()
export class ObservabilityController extends ShellObservabilityController {}
