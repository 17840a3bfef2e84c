import { Module } from '@nestjs/common';
import { EnterprisesController } from './enterprises.controller';
import { EnterprisesService } from './enterprises.service';
import { PersonnelChangesController } from './personnel-changes.controller';

@Module({
  controllers: [EnterprisesController, PersonnelChangesController],
  providers: [EnterprisesService],
  exports: [EnterprisesService],
})
export class EnterprisesModule {}
