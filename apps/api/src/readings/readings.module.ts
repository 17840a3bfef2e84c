import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { InfluxService } from './influx.service';
import { ReadingsService } from './readings.service';
import { ReadingsThrottleService } from './readings-throttle.service';

@Module({
  providers: [InfluxService, ReadingsService, { provide: ReadingsThrottleService, useFactory: (config: ApiConfig) => new ReadingsThrottleService(config), inject: [API_CONFIG] }],
  exports: [InfluxService, ReadingsService],
})
export class ReadingsModule {}
