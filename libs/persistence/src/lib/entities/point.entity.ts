import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { PointType, Thresholds } from '@sw/sensors';
import type { Gateway } from './gateway.entity';

/** docs/contracts.md §2 register map entry. */
export interface RegisterMap {
  function: 'coil' | 'discrete' | 'holding' | 'input';
  address: number;
  type: 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
  wordOrder?: 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';
  scale?: number;
  offset?: number;
}

@Entity({ name: 'points' })
@Unique(['gatewayId', 'code'])
export class Point {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'gateway_id', type: 'uuid' })
  @Index()
  gatewayId!: string;

  @ManyToOne('Gateway', 'points', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'gateway_id' })
  gateway?: Gateway;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  type!: PointType;

  @Column({ type: 'text' })
  unit!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  location!: string | null;

  /** 判定标准 第十四条: a failed monitor on a required point is itself a major hazard. */
  @Column({ type: 'boolean', default: false })
  mandatory!: boolean;

  @Column({ name: 'expected_interval_s', type: 'int', default: 60 })
  expectedIntervalS!: number;

  @Column({ type: 'jsonb', nullable: true })
  register!: RegisterMap | null;

  /** Overrides of the catalog's default setpoints (docs/contracts.md §4 `thresholds`). */
  @Column({ type: 'jsonb', nullable: true })
  thresholds!: Thresholds | null;

  /** Maintenance window: alarms are suppressed until then (docs/contracts.md §3). */
  @Column({ name: 'maintenance_until', type: 'timestamptz', nullable: true })
  maintenanceUntil!: Date | null;

  @Column({ name: 'maintenance_reason', type: 'text', nullable: true })
  maintenanceReason!: string | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
