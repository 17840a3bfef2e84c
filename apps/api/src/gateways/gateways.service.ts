import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { conflict, invalid, notFound } from '@sw/errors';
import {
  type CreateGatewayInput,
  GatewaysRepository,
  type PageRequest,
  type Principal,
  RegistryError,
  RegistryService,
  type ScopedGateway,
  scopeOf,
  type UpdateGatewayInput,
} from '@sw/persistence';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { gatewayView } from './gateways.dto';

@Injectable()
export class GatewaysService {
  constructor(
    private readonly registry: RegistryService,
    private readonly gateways: GatewaysRepository,
    private readonly enterprises: EnterprisesService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** An mqtt gateway's answer carries its credentials, the only time the password is shown. */
  async create(p: Principal, enterpriseId: string, input: CreateGatewayInput) {
    await this.enterprises.get(p, enterpriseId);
    await this.checkModbusHost(input.modbus?.host);
    const { gateway, mqtt } = await this.neutralConflict(p, String(input.code ?? ''), () => this.registry.createGateway(enterpriseId, input));
    return { ...gatewayView(gateway), ...(mqtt && { mqtt }) };
  }

  /** Like enterprises' credit codes: a taken gateway code is named only to a caller who may see its gateway. */
  private async neutralConflict<T>(p: Principal, code: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof RegistryError && err.kind === 'conflict') || p.role === 'admin') throw err;
      const holder = await this.registry.findGatewayByCode(code);
      if (holder && (await this.gateways.get(holder.id, scopeOf(p)))) throw err;
      throw conflict('this gateway code cannot be used', 'gateway_code_unavailable');
    }
  }

  async listOfEnterprise(p: Principal, enterpriseId: string, page: PageRequest) {
    await this.enterprises.get(p, enterpriseId);
    const result = await this.gateways.listByEnterprise(enterpriseId, page);
    return { ...result, items: result.items.map(gatewayView) };
  }

  /** In scope or 404. */
  async get(p: Principal, id: string): Promise<ScopedGateway> {
    const gateway = await this.gateways.get(id, scopeOf(p));
    if (!gateway) throw notFound(`gateway ${id} not found`);
    return gateway;
  }

  async rotateCredentials(p: Principal, id: string) {
    await this.get(p, id);
    return { mqtt: await this.registry.rotateCredentials(id) };
  }

  async update(p: Principal, id: string, input: UpdateGatewayInput) {
    const gateway = await this.get(p, id);
    await this.checkModbusHost(input.modbus?.host);
    return gatewayView(await this.gateways.update(gateway, input));
  }

  async delete(p: Principal, id: string): Promise<void> {
    await this.get(p, id);
    await this.gateways.delete(id);
  }

  /**
   * Issue 18: a Modbus host may not point the poller at the platform's own network or the metadata
   * service. An address, or every address a name resolves to now, must lie in MODBUS_ALLOWED_CIDRS;
   * a name that does not resolve here is accepted (it may exist only on the plant's network) — ingest
   * checks the address it connects to on every poll either way.
   */
  private async checkModbusHost(host: string | undefined): Promise<void> {
    if (host === undefined) return;
    const policy = this.config.MODBUS_ALLOWED_CIDRS;
    const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((all) => all.map((a) => a.address), () => []);
    const refused = addresses.find((a) => !policy.allows(a));
    if (refused !== undefined) throw invalid(policy.refusal(host, refused), 'modbus_host_not_allowed');
  }
}
