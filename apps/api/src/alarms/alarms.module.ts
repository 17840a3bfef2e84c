import { Module } from '@nestjs/common';
import { AlarmActionsService } from './alarm-actions.service';
import { AlarmTransitionsService } from './alarm-transitions.service';
import { AlarmsController } from './alarms.controller';
import { AlarmsRepository } from './alarms.repository';

@Module({
  controllers: [AlarmsController],
  providers: [AlarmActionsService, AlarmTransitionsService, AlarmsRepository],
  exports: [AlarmTransitionsService],
})
export class AlarmsModule {}
