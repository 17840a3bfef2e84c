import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Enterprise } from './enterprise.entity';
import type { Point } from './point.entity';

export const GATEWAY_PROTOCOLS = ['mqtt', 'modbus-tcp'] as const;
export type GatewayProtocol = (typeof GATEWAY_PROTOCOLS)[number];

/** docs/contracts.md §2 */
export interface ModbusSettings {
  host: string;
  port: number;
  unitId: number;
  pollIntervalMs: number;
  timeoutMs: number;
}

@Entity({ name: 'gateways' })
export class Gateway {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  @Index()
  enterpriseId!: string;

  @ManyToOne('Enterprise', 'gateways', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'enterprise_id' })
  enterprise?: Enterprise;

  /** MQTT username and topic segment: `v1/gateways/{code}/…`. */
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  protocol!: GatewayProtocol;

  @Column({ type: 'jsonb', nullable: true })
  modbus!: ModbusSettings | null;

  /** argon2id hash of the MQTT secret; the secret itself is shown once and never stored. */
  @Column({ name: 'secret_hash', type: 'text', nullable: true, select: false })
  secretHash!: string | null;

  /**
   * The same secret in Mosquitto's `$7$` PBKDF2-SHA512 format, so the platform can write an
   * external Mosquitto's password file (docs/contracts.md §1) without ever keeping the secret.
   */
  @Column({ name: 'mosquitto_hash', type: 'text', nullable: true, select: false })
  mosquittoHash!: string | null;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  online!: boolean;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  /** First valid reading ever received: the connection-rate KPI counts from here (docs/domain.md). */
  @Column({ name: 'first_reading_at', type: 'timestamptz', nullable: true })
  firstReadingAt!: Date | null;

  @OneToMany('Point', 'gateway')
  points?: Point[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
