import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Enterprise, EnterpriseStatus } from './enterprise.entity';

/** Status history: scope and KPIs are computed for past dates, so a status change is never overwritten. */
@Entity({ name: 'enterprise_status_changes' })
@Index(['enterpriseId', 'effectiveDate'])
export class EnterpriseStatusChange {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId!: string;

  @ManyToOne('Enterprise', 'statusHistory', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Enterprise;

  @Column({ type: 'text' })
  status!: EnterpriseStatus;

  /** Asia/Shanghai calendar day from which the status holds. */
  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  /** why (停产整顿, 关停取缔, …), as recorded */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
