import type { DataSource } from 'typeorm';
import { Gateway } from '../entities/gateway.entity';
import { scopeWhere, type RecordScope } from '../users/record-scope';
import { offsetOf, type PageRequest, type Paged } from './paging.types';
import { parseInput } from './parse-input';
import { RegistryError } from './registry.errors';
import { updateGatewaySchema, type UpdateGatewayInput } from './registry-update.schema';

export type ScopedGateway = Gateway & { regionCode: string };

const SCOPE_COLS = { enterpriseId: 'e.id', regionCode: 'e.region_code' };

/** Scoped reads, updates and deletes of gateways; creation and credentials stay in `RegistryService`. */
export class GatewaysRepository {
  constructor(private readonly ds: DataSource) {}

  /** The gateway with its enterprise's region, or null when missing or out of scope (404 either way). */
  async get(id: string, scope: RecordScope): Promise<ScopedGateway | null> {
    const s = scopeWhere(scope, SCOPE_COLS);
    const { entities, raw } = await this.ds
      .getRepository(Gateway)
      .createQueryBuilder('g')
      .innerJoin('g.enterprise', 'e')
      .addSelect('e.region_code', 'region_code')
      .where('g.id = :id', { id })
      .andWhere(s.sql, s.params)
      .getRawAndEntities<{ region_code: string }>();
    const gateway = entities[0];
    return gateway ? Object.assign(gateway, { regionCode: (raw[0] as { region_code: string }).region_code }) : null;
  }

  async listByEnterprise(enterpriseId: string, page: PageRequest): Promise<Paged<Gateway>> {
    const [items, total] = await this.ds.getRepository(Gateway).findAndCount({
      where: { enterpriseId },
      order: { code: 'ASC' },
      skip: offsetOf(page),
      take: page.pageSize,
    });
    return { items, total, ...page };
  }

  async update(gateway: Gateway, input: UpdateGatewayInput): Promise<Gateway> {
    const data = parseInput(updateGatewaySchema, input, 'gateway');
    if (gateway.protocol !== 'modbus-tcp') {
      throw new RegistryError('invalid', 'only a modbus-tcp gateway has modbus settings', ['modbus: the gateway speaks mqtt']);
    }
    await this.ds.getRepository(Gateway).update({ id: gateway.id }, { modbus: data.modbus });
    return this.ds.getRepository(Gateway).findOneByOrFail({ id: gateway.id });
  }

  /** Deletes the gateway and (cascade) its points; alarms keep their history. */
  async delete(id: string): Promise<void> {
    const result = await this.ds.getRepository(Gateway).delete({ id });
    if (!result.affected) throw new RegistryError('not_found', `gateway ${id} not found`);
  }
}
