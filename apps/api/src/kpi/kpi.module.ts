import { Module } from '@nestjs/common';
import { ReadingsModule } from '../readings/readings.module';
import { KpiController } from './kpi.controller';
import { KpiRepository } from './kpi.repository';
import { KpiService } from './kpi.service';
import { MandatorySetProvider } from './mandatory-set.provider';
import { KpiPeriodRepository } from './kpi-period.repository';
import { KpiPeriodService } from './kpi-period.service';

@Module({ imports: [ReadingsModule], controllers: [KpiController], providers: [KpiService, MandatorySetProvider, KpiRepository, KpiPeriodService, KpiPeriodRepository], exports: [KpiService, KpiPeriodService] })
export class KpiModule {}
