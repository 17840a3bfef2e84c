import { Injectable, Logger } from '@nestjs/common';
import { type AuditEntry, AuditRepository, type Principal } from '@sw/persistence';
import type { ClientInfo } from '../auth/auth.decorator';

export type AuditOutcome = AuditEntry['outcome'];

export interface AuditRecord {
  principal: Principal | null;
  client: ClientInfo;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: AuditOutcome;
  data?: Record<string, unknown>;
}

/** Writes audit_log rows; a failing audit write is logged, never turned into a second error. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repo: AuditRepository) {}

  async record(r: AuditRecord): Promise<void> {
    const actor = r.principal ? { id: r.principal.id, username: r.principal.username, role: r.principal.role } : null;
    try {
      await this.repo.record({
        actor,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        ip: r.client.ip,
        userAgent: r.client.userAgent,
        outcome: r.outcome,
        ...(r.data && { data: r.data }),
      });
    } catch (err) {
      this.logger.error(`audit write failed for ${r.action} ${r.targetType}/${r.targetId ?? '-'}: ${(err as Error).message}`);
    }
  }
}
