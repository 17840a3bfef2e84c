import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { ReadingsModule } from '../readings/readings.module';
import { PointsController } from './points.controller';
import { PointsService } from './points.service';

@Module({
  imports: [AlarmsModule, GatewaysModule, ReadingsModule],
  controllers: [PointsController],
  providers: [PointsService],
  exports: [PointsService],
})
export class PointsModule {}
