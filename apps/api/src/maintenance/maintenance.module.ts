import { Module } from '@nestjs/common';
import { MaintenanceRequestsRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { PointsModule } from '../points/points.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

@Module({
  imports: [PointsModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService, { provide: MaintenanceRequestsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new MaintenanceRequestsRepository(ds) }],
  exports: [MaintenanceRequestsRepository],
})
export class MaintenanceModule {}
