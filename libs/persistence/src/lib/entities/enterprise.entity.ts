import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
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

export const ENTERPRISE_STATUSES = ['operating', 'suspended', 'closed'] as const;
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

  /** 涉粉作业人数: decides the policy scope for dust enterprises (DOMAIN.md). */
  @Column({ name: 'dust_workers', type: 'int', nullable: true })
  dustWorkers!: number | null;

  @Column({ type: 'int', nullable: true })
  employees!: number | null;

  @Column({ type: 'text', default: 'operating' })
  status!: EnterpriseStatus;

  @Column({ name: 'standardization_grade', type: 'text', nullable: true })
  standardizationGrade!: StandardizationGrade | null;

  @OneToMany('Gateway', 'enterprise')
  gateways?: Gateway[];

  @OneToMany('EnterpriseStatusChange', 'enterprise')
  statusHistory?: EnterpriseStatusChange[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
