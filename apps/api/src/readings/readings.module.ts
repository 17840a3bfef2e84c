import { Module } from '@nestjs/common';
import { InfluxReadingsRepository } from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { InfluxService } from './influx.service';
import { ReadingsService } from './readings.service';
import { ReadingsThrottleService } from './readings-throttle.service';

@Module({
  providers: [
    InfluxService,
    { provide: InfluxReadingsRepository, inject: [InfluxService], useFactory: (influx: InfluxService) => new InfluxReadingsRepository((q) => influx.query(q)) },
    ReadingsService, { provide: ReadingsThrottleService, useFactory: (config: ApiConfig) => new ReadingsThrottleService(config), inject: [API_CONFIG] }],
  exports: [InfluxService, InfluxReadingsRepository, ReadingsService],
})
export class ReadingsModule {}
