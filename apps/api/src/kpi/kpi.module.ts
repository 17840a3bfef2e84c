import { Module } from '@nestjs/common';
import { KpiPeriodRepository, KpiRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ReadingsModule } from '../readings/readings.module';
import { KpiController } from './kpi.controller';
import { KpiService } from './kpi.service';
import { MANDATORY_SET, MandatorySetProvider } from './mandatory-set.provider';
import { KpiPeriodService } from './kpi-period.service';

@Module({
  imports: [ReadingsModule],
  controllers: [KpiController],
  providers: [
    KpiService,
    { provide: MANDATORY_SET, useClass: MandatorySetProvider },
    { provide: KpiRepository, inject: [DataSource], useFactory: (ds: DataSource) => new KpiRepository(ds) },
    KpiPeriodService,
    { provide: KpiPeriodRepository, inject: [DataSource], useFactory: (ds: DataSource) => new KpiPeriodRepository(ds) },
  ],
  exports: [KpiService, KpiPeriodService],
})
export class KpiModule {}
