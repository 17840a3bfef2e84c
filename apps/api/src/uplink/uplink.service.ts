import { Injectable } from '@nestjs/common';
import { UplinkStatusRepository, type UplinkStatus } from '@sw/persistence';
import { DataSource } from 'typeorm';

/** The uplink's status for the console (the uplink itself runs in apps/uplink). */
@Injectable()
export class UplinkService {
  private readonly repository: UplinkStatusRepository;

  constructor(ds: DataSource) {
    this.repository = new UplinkStatusRepository(ds);
  }

  status(): Promise<UplinkStatus> {
    return this.repository.status();
  }
}
