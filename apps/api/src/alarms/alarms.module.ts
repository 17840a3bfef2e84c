import { Module } from '@nestjs/common';
import { AlarmsRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { AlarmActionsService } from './alarm-actions.service';
import { AlarmTransitionsService } from './alarm-transitions.service';
import { AlarmsController } from './alarms.controller';

@Module({
  controllers: [AlarmsController],
  providers: [AlarmActionsService, AlarmTransitionsService, { provide: AlarmsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new AlarmsRepository(ds) }],
  exports: [AlarmTransitionsService],
})
export class AlarmsModule {}
