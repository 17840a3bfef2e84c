import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AlarmFeedService } from './alarm-feed.service';
import { EventNotifyListener } from './event-notify.listener';
import { EventSequencerService } from './event-sequencer.service';
import { LiveFeedService } from './live-feed.service';
import { LiveFeedSocket } from './live-feed.socket';
import { ReadingFanoutService } from './reading-fanout.service';

@Module({
  imports: [AuthModule],
  providers: [EventSequencerService, EventNotifyListener, AlarmFeedService, ReadingFanoutService, LiveFeedService, LiveFeedSocket],
})
export class LiveModule {}
