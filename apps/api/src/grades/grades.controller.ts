import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { CurrentPrincipal } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { CurrentGradesDto, CurrentGradesQueryDto, GradeHistoryDto, GradeHistoryQueryDto } from './grades.dto';
import { GradesService } from './grades.service';

const WHAT =
  'The enterprise risk level (风险等级 · 风险预警) of the daily grading: red 重大风险, orange 较大风险, yellow 一般风险, blue 低风险, ' +
  'from a score of five parts (固有风险, 重大事故隐患, 报警（近30天）, 在线率（近30天）, 安全生产标准化), each with value, points (0–100) and weight; ' +
  'standardizationVeto (一票否决) when an open major hazard voids the standardization credit. This is the enterprise’s 风险预警, not a point alarm (报警).';

@ApiTags('grades')
@ApiBearerAuth()
@Controller()
export class GradesController {
  constructor(private readonly grades: GradesService) {}

  @Get('grades')
  @ApiOperation({ summary: 'Each enterprise’s current risk level in scope (its latest day), with the parts of its score', description: `${WHAT} Scoped like alarms: an enterprise user sees only its own enterprise.` })
  @ApiOkResponse({ type: CurrentGradesDto })
  current(@CurrentPrincipal() p: Principal, @Query() q: CurrentGradesQueryDto) {
    return this.grades.current(p, q);
  }

  @Get('enterprises/:id/grades')
  @ApiOperation({ summary: 'One enterprise’s risk levels day by day (from … to, 90 days by default), oldest first; 404 outside your scope', description: WHAT })
  @ApiOkResponse({ type: GradeHistoryDto })
  history(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Query() q: GradeHistoryQueryDto) {
    return this.grades.history(p, id, q);
  }
}
