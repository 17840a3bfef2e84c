import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CoordSystem, EnterpriseScale, Industry, ProcessFlags, ThreeSimultaneityProject } from '../ledger/ledger-fields.schema';
import type { EnterpriseStatusChange } from './enterprise-status-change.entity';
import type { Gateway } from './gateway.entity';

export const RISK_CATEGORIES = [
  'steel',
  'aluminum_casting',
  'metal_dust',
  'wood_dust',
  'other_dust',
  'ammonia_refrigeration',
  'confined_space',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/**
 * 开业 (opened, not yet producing), 在产, 停产, 停业 (business halted), 关停. Scope (docs/domain.md): `closed`
 * leaves it from its date; `suspended` and `out_of_business` stay in it but out of the online rate.
 */
export const ENTERPRISE_STATUSES = ['opened', 'operating', 'suspended', 'out_of_business', 'closed'] as const;
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number];

/** 安全生产标准化等级: 一级, 二级, 三级, or 小微企业 (small and micro enterprises' simplified grade). */
export const STANDARDIZATION_GRADES = ['level_1', 'level_2', 'level_3', 'small_micro'] as const;
export type StandardizationGrade = (typeof STANDARDIZATION_GRADES)[number];

@Entity({ name: 'enterprises' })
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** 统一社会信用代码 (GB 32100-2015), unique. */
  @Column({ type: 'text', unique: true })
  uscc!: string;

  /** GB/T 2260 county-level code, six digits. */
  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ name: 'risk_categories', type: 'text', array: true })
  riskCategories!: RiskCategory[];

  /** 涉粉作业人数: decides the policy scope for dust enterprises (docs/domain.md). */
  @Column({ name: 'dust_workers', type: 'int', nullable: true })
  dustWorkers!: number | null;

  @Column({ type: 'int', nullable: true })
  employees!: number | null;

  @Column({ type: 'text', default: 'operating' })
  status!: EnterpriseStatus;

  @Column({ name: 'standardization_grade', type: 'text', nullable: true })
  standardizationGrade!: StandardizationGrade | null;

  @Column({ type: 'text', nullable: true })
  industry!: Industry | null;

  /** 规上 / 规下 */
  @Column({ type: 'text', nullable: true })
  scale!: EnterpriseScale | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  /** degrees, in `coordSystem` */
  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ name: 'coord_system', type: 'text', nullable: true })
  coordSystem!: CoordSystem | null;

  /** 行业管理部门 */
  @Column({ name: 'industry_department', type: 'text', nullable: true })
  industryDepartment!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  processes!: string[];

  @Column({ name: 'key_equipment', type: 'jsonb', default: () => "'[]'" })
  keyEquipment!: string[];

  @Column({ name: 'process_flags', type: 'jsonb' })
  processFlags!: ProcessFlags;

  @Column({ name: 'dust_kinds', type: 'jsonb', default: () => "'[]'" })
  dustKinds!: string[];

  @Column({ name: 'standardization_valid_until', type: 'date', nullable: true })
  standardizationValidUntil!: string | null;

  @Column({ name: 'standardization_revoked_on', type: 'date', nullable: true })
  standardizationRevokedOn!: string | null;

  /** 三同时 of recent projects */
  @Column({ name: 'three_simultaneity', type: 'jsonb', default: () => "'[]'" })
  threeSimultaneity!: ThreeSimultaneityProject[];

  @OneToMany('Gateway', 'enterprise')
  gateways?: Gateway[];

  @OneToMany('EnterpriseStatusChange', 'enterprise')
  statusHistory?: EnterpriseStatusChange[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
