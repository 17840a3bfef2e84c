import { Module, type Provider } from '@nestjs/common';
import { InspectionStore, InspectorPoolRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { HazardsModule } from '../hazards/hazards.module';
import { DrawsController } from './draws.controller';
import { DrawsService } from './draws.service';
import { InspectionRecordPdfService } from './inspection-record-pdf.service';
import { InspectionsController } from './inspections.controller';
import { InspectionsService } from './inspections.service';
import { InspectionPlansController, InspectorsController } from './inspectors.controller';
import { InspectorsService } from './inspectors.service';

const stores: Provider[] = [InspectionStore, InspectorPoolRepository].map((type) => ({ provide: type, inject: [DataSource], useFactory: (ds: DataSource) => new type(ds) }));

/** 执法检查: inspectors and plans, 双随机 draws, inspection records, the due list (docs/domain.md "The closed loop"). */
@Module({
  imports: [HazardsModule],
  controllers: [InspectionsController, InspectorsController, InspectionPlansController, DrawsController],
  providers: [...stores, InspectorsService, DrawsService, InspectionsService, InspectionRecordPdfService],
})
export class InspectionsModule {}
