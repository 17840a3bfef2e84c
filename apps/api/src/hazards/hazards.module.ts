import { Module } from '@nestjs/common';
import { EvidenceStorageService } from './evidence-storage.service';
import { HazardsAnalysisService } from './hazards-analysis.service';
import { HazardsExportController } from './hazards-export.controller';
import { HazardsExportService } from './hazards-export.service';
import { AlarmHazardController, HazardsController } from './hazards.controller';
import { HazardsService } from './hazards.service';

@Module({
  // export and analysis first: their paths must not be read as a hazard id
  controllers: [HazardsExportController, HazardsController, AlarmHazardController],
  providers: [HazardsService, EvidenceStorageService, HazardsExportService, HazardsAnalysisService],
  // inspections record major findings through the register and store their photos the same way
  exports: [HazardsService, EvidenceStorageService],
})
export class HazardsModule {}
