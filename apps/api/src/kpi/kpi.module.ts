import { Module } from '@nestjs/common';
import { ReadingsModule } from '../readings/readings.module';
import { KpiController } from './kpi.controller';
import { KpiRepository } from './kpi.repository';
import { KpiService } from './kpi.service';
import { MANDATORY_SET, MandatorySetProvider } from './mandatory-set.provider';
import { KpiPeriodRepository } from './kpi-period.repository';
import { KpiPeriodService } from './kpi-period.service';

@Module({ imports: [ReadingsModule], controllers: [KpiController], providers: [KpiService, { provide: MANDATORY_SET, useClass: MandatorySetProvider }, KpiRepository, KpiPeriodService, KpiPeriodRepository], exports: [KpiService, KpiPeriodService] })
export class KpiModule {}
