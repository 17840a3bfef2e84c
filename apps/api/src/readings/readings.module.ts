import { Module } from '@nestjs/common';
import { InfluxService } from './influx.service';
import { ReadingsService } from './readings.service';

@Module({
  providers: [InfluxService, ReadingsService],
  exports: [InfluxService, ReadingsService],
})
export class ReadingsModule {}
