import { Module } from '@nestjs/common';
import { UplinkController } from './uplink.controller';
import { UplinkService } from './uplink.service';

@Module({ controllers: [UplinkController], providers: [UplinkService] })
export class UplinkModule {}
