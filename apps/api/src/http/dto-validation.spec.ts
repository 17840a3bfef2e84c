import { AckDto, DisposeDto, ListAlarmsQueryDto, ShelveDto } from '../alarms/alarms.dto';
import { ListEnterprisesQueryDto } from '../enterprises/enterprises.dto';
import { ConnectionKpiQueryDto } from '../kpi/kpi.dto';
import { createPointBodySchema } from '../points/points.dto';
import { everyMs, ReadingsQueryDto } from '../readings/readings.dto';
import { PageQueryDto } from './paging.dto';

// DTOs are the zod schemas the validation pipe runs on every body and query (docs/contracts.md §4).
const ok = (dto: { schema: { safeParse(v: unknown): { success: boolean } } }, v: unknown) => dto.schema.safeParse(v).success;

describe('request DTOs', () => {
  it('paging: page from 1, pageSize 1–500, default 50; query strings are coerced', () => {
    expect(PageQueryDto.schema.parse({})).toEqual({ page: 1, pageSize: 50 });
    expect(PageQueryDto.schema.parse({ page: '3', pageSize: '500' })).toEqual({ page: 3, pageSize: 500 });
    for (const q of [{ page: '0' }, { pageSize: '501' }, { pageSize: '0' }, { page: 'x' }, { page: '1.5' }]) expect(ok(PageQueryDto, q)).toBe(false);
  });

  it('alarm list filters: enums (one or several, comma-separated), ids, region prefix, ISO times', () => {
    const q = ListAlarmsQueryDto.schema.parse({ tier: 'red,orange', regionCode: '320500', from: '2026-01-01', to: '2026-01-02T00:00:00+08:00' });
    expect(q).toMatchObject({ tier: ['red', 'orange'], regionCode: '3205', page: 1 });
    expect((q.from as Date).toISOString()).toBe('2025-12-31T16:00:00.000Z'); // a bare date is an Asia/Shanghai day
    expect((q.to as Date).toISOString()).toBe('2026-01-01T16:00:00.000Z');
    for (const bad of [{ tier: 'purple' }, { stage: 'open,shut' }, { condition: '' }, { enterpriseId: '42' }, { regionCode: '3' }, { from: '01/02/2026' }]) {
      expect([bad, ok(ListAlarmsQueryDto, bad)]).toEqual([bad, false]);
    }
  });

  it('alarm actions: docs/contracts.md §4 bodies', () => {
    expect(ok(AckDto, {})).toBe(true);
    expect(ok(AckDto, { comment: 'x'.repeat(2001) })).toBe(false);
    expect(ok(DisposeDto, { cause: 'false_alarm', measures: '传感器漂移，已校准' })).toBe(true);
    expect(ok(DisposeDto, { cause: 'aliens', measures: 'x' })).toBe(false);
    expect(ok(DisposeDto, { cause: 'other', measures: '   ' })).toBe(false);
    expect(ok(ShelveDto, { minutes: 1440, reason: '检修' })).toBe(true);
    for (const minutes of [0, 1441, 1.5, '30']) expect(ok(ShelveDto, { minutes, reason: 'x' })).toBe(false);
    expect(ok(ShelveDto, { minutes: 5, reason: 'x', extra: 1 })).toBe(false);
  });

  it('points: catalog type and unit shape, setpoints in order', () => {
    expect(createPointBodySchema.safeParse({ code: 'CO-01', type: 'co', name: 'CO', thresholds: { high: { yellow: 24, orange: 160 } } }).success).toBe(true);
    const unordered = createPointBodySchema.safeParse({ code: 'CO-01', type: 'co', name: 'CO', thresholds: { high: { yellow: 160, orange: 24 } } });
    expect(unordered.success).toBe(false);
    expect(unordered.error?.issues[0]?.path[0]).toBe('thresholds');
    expect(createPointBodySchema.safeParse({ code: 'CO-01', type: 'warp_core', name: 'x' }).success).toBe(false);
    expect(createPointBodySchema.safeParse({ code: 'CO 01', type: 'co', name: 'x' }).success).toBe(false);
  });

  it('readings: every is <n>s|m|h|d; from before to', () => {
    expect(everyMs('90s')).toBe(90_000);
    expect(everyMs('5m')).toBe(300_000);
    expect(everyMs('2h')).toBe(7_200_000);
    expect(everyMs('1d')).toBe(86_400_000);
    for (const every of ['0m', '5', 'm', '1w', '1.5h', '-1m']) expect(ok(ReadingsQueryDto, { every })).toBe(false);
    expect(ok(ReadingsQueryDto, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toBe(false);
  });

  it('enterprise list and KPI queries', () => {
    expect(ListEnterprisesQueryDto.schema.parse({ regionCode: '320000', category: 'steel' })).toMatchObject({ regionCode: '32', category: 'steel' });
    expect(ok(ListEnterprisesQueryDto, { status: 'bankrupt' })).toBe(false);
    expect(ConnectionKpiQueryDto.schema.parse({ regionCode: '320500', asOf: '2026-01-01' })).toEqual({ regionCode: '3205', asOf: '2026-01-01' });
    expect(ok(ConnectionKpiQueryDto, { asOf: '2026-02-29' })).toBe(false);
  });
});
