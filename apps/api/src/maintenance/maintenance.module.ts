import { Module } from '@nestjs/common';
import { PointsModule } from '../points/points.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceRequestsRepository } from './maintenance-requests.repository';
import { MaintenanceService } from './maintenance.service';

@Module({
  imports: [PointsModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService, MaintenanceRequestsRepository],
  exports: [MaintenanceRequestsRepository],
})
export class MaintenanceModule {}
