import { type DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_ESCALATION_POLICY } from '@sw/rules';
import { HttpErrorsModule } from '@sw/http-edge';
import { configModule, loggerModule, ObservabilityController, observabilityProviders } from '@sw/platform';
import { AlarmCommitService } from './alarms/alarm-commit.service';
import { ESCALATION_POLICY } from './alarms/alarm-context.factory';
import { AlarmTimersService } from './alarms/alarm-timers.service';
import { AlarmTrackerService } from './alarms/alarm-tracker.service';
import { MaintenanceService } from './alarms/maintenance.service';
import { BrokerService } from './broker/broker.service';
import { ALERTING_CONFIG, type AlertingConfig } from './config/alerting.config';
import { DatabaseModule } from './database/database.module';
import { GradingJobService } from './grading/grading-job.service';
import { HazardEscalationService } from './hazards/hazard-escalation.service';
import { UpwardReminderService } from './upward/upward-reminder.service';
import { AlarmStore, NotificationOutboxRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { DeliveryWorkerService } from './notifications/delivery-worker.service';
import { NotificationDeliveryService } from './notifications/notification-delivery.service';
import { NOTIFICATION_PORT } from './notifications/notification.types';
import { OutboxNotifier } from './notifications/outbox-notifier';
import { OutboxWriterService } from './notifications/outbox-writer.service';
import { notificationProviders } from './notifications/providers/notification-providers.factory';
import { NOTIFICATION_PROVIDERS, type NotificationProvider } from './notifications/providers/notification-provider.types';
import { ReceiptsController } from './notifications/receipts.controller';
import { ReceiptsService } from './notifications/receipts.service';
import { RepeatNotificationsService } from './notifications/repeat-notifications.service';
import { MetricsService } from './observability/metrics.service';
import { ObservabilityService } from './observability/observability.service';
import { EvaluationService } from './pipeline/evaluation.service';
import { EventFollowerService } from './pipeline/event-follower.service';
import { PartitionAlarmsService } from './pipeline/partition-alarms.service';
import { PartitionHandoverService } from './pipeline/partition-handover.service';
import { PartitionLeaseService } from './pipeline/partition-lease.service';
import { PartitionOwnershipService } from './pipeline/partition-ownership.service';
import { PartitionRuleStatesService } from './pipeline/partition-rule-states.service';
import { PartitionStateService } from './pipeline/partition-state.service';
import { PipelineService } from './pipeline/pipeline.service';
import { PriorityIntakeService } from './pipeline/priority-intake.service';
import { ReadingIntakeService } from './pipeline/reading-intake.service';
import { RegistryChangeService } from './pipeline/registry-change.service';
import { RuleStateWriterService } from './pipeline/rule-state-writer.service';
import { PointRegistryService } from './points/point-registry.service';
import { scalePolicy } from './points/rule-scaling.factory';
import { TIMER_DRIVER, systemTimerDriver, type TimerDriver } from './timers/clock.types';
import { TimerService } from './timers/timer.service';

/** What tests may replace: the clock and timers (the system ones by default). */
export interface AlertingOverrides {
  timerDriver?: TimerDriver;
  notificationProviders?: NotificationProvider[];
}

@Module({})
export class AppModule {
  static forConfig(config: AlertingConfig, overrides: AlertingOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(ALERTING_CONFIG, config),
        loggerModule(config),
        DatabaseModule,
        HttpErrorsModule, // the one exception filter (docs/style.md "Edges")
      ],
      controllers: [ObservabilityController, ReceiptsController],
      providers: [
        { provide: TIMER_DRIVER, useValue: overrides.timerDriver ?? systemTimerDriver },
        { provide: ESCALATION_POLICY, useValue: scalePolicy(DEFAULT_ESCALATION_POLICY, config.ALERTING_TIME_SCALE) },
        { provide: NOTIFICATION_PROVIDERS, useValue: overrides.notificationProviders ?? notificationProviders(config) },
        OutboxWriterService,
        // alarm events and their outbox rows commit in one transaction
        {
          provide: AlarmStore,
          inject: [DataSource, OutboxWriterService],
          // notify: the live feed hears committed events from PostgreSQL at COMMIT (docs/architecture.md, alarm fast lane)
          useFactory: (ds: DataSource, outbox: OutboxWriterService) => new AlarmStore(ds, outbox.hook, { notify: config.PRIORITY_LANE, hookFor: outbox.needed, outbox: outbox.plan }),
        },
        { provide: NotificationOutboxRepository, inject: [DataSource], useFactory: (ds: DataSource) => new NotificationOutboxRepository(ds) },
        NotificationDeliveryService,
        DeliveryWorkerService,
        ReceiptsService,
        RepeatNotificationsService,
        HazardEscalationService,
        UpwardReminderService,
        GradingJobService,
        { provide: NOTIFICATION_PORT, useClass: OutboxNotifier },
        MetricsService,
        ...observabilityProviders(ObservabilityService, ALERTING_CONFIG),
        TimerService,
        BrokerService,
        PointRegistryService,
        PartitionOwnershipService,
        PartitionLeaseService,
        RuleStateWriterService,
        AlarmTrackerService,
        AlarmCommitService,
        AlarmTimersService,
        MaintenanceService,
        EvaluationService,
        ReadingIntakeService,
        PriorityIntakeService,
        EventFollowerService,
        RegistryChangeService,
        PartitionAlarmsService,
        PartitionRuleStatesService,
        PartitionStateService,
        PartitionHandoverService,
        PipelineService,
      ],
    };
  }
}
