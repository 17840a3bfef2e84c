import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Online/offline history as state changes, not samples (the online-rate KPI integrates it). */
@Entity({ name: 'gateway_state_changes' })
@Index(['gatewayId', 'at'])
export class GatewayStateChange {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'gateway_id', type: 'uuid' })
  gatewayId!: string;

  @Column({ type: 'boolean' })
  online!: boolean;

  /** `connect`, `disconnect`, `will`, `state` (retained state message), `timeout`. */
  @Column({ type: 'text' })
  cause!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
