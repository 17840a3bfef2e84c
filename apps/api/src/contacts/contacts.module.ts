import { Module } from '@nestjs/common';
import { ContactsRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  controllers: [ContactsController],
  providers: [ContactsService, { provide: ContactsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ContactsRepository(ds) }],
})
export class ContactsModule {}
