import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { HttpErrorsModule } from '@sw/http-edge';
import { configModule, loggerModule } from '@sw/platform';
import { AlarmsModule } from './alarms/alarms.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BrokerModule } from './broker/broker.module';
import { API_CONFIG, type ApiConfig } from './config/api.config';
import { ContactsModule } from './contacts/contacts.module';
import { DatabaseModule } from './database/database.module';
import { EnterprisesModule } from './enterprises/enterprises.module';
import { GatewaysModule } from './gateways/gateways.module';
import { GradesModule } from './grades/grades.module';
import { HazardsModule } from './hazards/hazards.module';
import { InspectionsModule } from './inspections/inspections.module';
import { ApiValidationPipe } from './http/zod-validation.pipe';
import { KpiModule } from './kpi/kpi.module';
import { UplinkModule } from './uplink/uplink.module';
import { LedgerModule } from './ledger/ledger.module';
import { LiveModule } from './live/live.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ObservabilityModule } from './observability/observability.module';
import { PointsModule } from './points/points.module';
import { PublicModule } from './public/public.module';
import { ReportTriageModule } from './report-triage/report-triage.module';
import { ReportsModule } from './reports/reports.module';
import { RulesModule } from './rules/rules.module';
import { UpwardModule } from './upward/upward.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forConfig(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule(API_CONFIG, config),
        loggerModule(config, {
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }], // path-to-regexp 8 syntax (the default '*' warns)
          redact: ['req.headers.authorization'],
        }),
        DatabaseModule,
        HttpErrorsModule, // the one exception filter (docs/style.md "Edges")
        ObservabilityModule,
        BrokerModule,
        AuditModule,
        AuthModule,
        UsersModule,
        LedgerModule,
        EnterprisesModule,
        GatewaysModule,
        PointsModule,
        MaintenanceModule,
        RulesModule,
        AlarmsModule,
        HazardsModule,
        InspectionsModule,
        GradesModule,
        ContactsModule,
        KpiModule,
        UplinkModule,
        ReportsModule,
        UpwardModule,
        ReportTriageModule, // after ReportsModule: /reports/half-year is matched before /reports/{id}
        PublicModule,
        LiveModule,
      ],
      providers: [{ provide: APP_PIPE, useClass: ApiValidationPipe }],
    };
  }
}
