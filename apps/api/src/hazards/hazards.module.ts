import { Module } from '@nestjs/common';
import { EvidenceStorageService } from './evidence-storage.service';
import { AlarmHazardController, HazardsController } from './hazards.controller';
import { HazardsService } from './hazards.service';

@Module({
  controllers: [HazardsController, AlarmHazardController],
  providers: [HazardsService, EvidenceStorageService],
})
export class HazardsModule {}
