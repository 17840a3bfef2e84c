import { Module } from '@nestjs/common';
import { ReadingsModule } from '../readings/readings.module';
import { KpiController } from './kpi.controller';
import { KpiRepository } from './kpi.repository';
import { KpiService } from './kpi.service';

@Module({ imports: [ReadingsModule], controllers: [KpiController], providers: [KpiService, KpiRepository] })
export class KpiModule {}
