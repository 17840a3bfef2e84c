// An enterprise with its gateways and their points, loaded over REST for the enterprise page.
import type { Alarm, EnterpriseDetail, Gateway, MandatoryConnected, Page, Point } from '../api/api.types';
import type { HttpClient } from '../api/http.client';

export interface GatewayWithPoints extends Gateway {
  points: Point[];
}

export interface EnterpriseData {
  enterprise: EnterpriseDetail;
  gateways: GatewayWithPoints[];
  recent: Alarm[];
}

export async function loadEnterprise(http: HttpClient, id: string): Promise<EnterpriseData> {
  const [enterprise, gateways, recent] = await Promise.all([
    http.get<EnterpriseDetail>(`/enterprises/${id}`),
    http.get<Page<Gateway>>(`/enterprises/${id}/gateways`, { pageSize: 500 }),
    http.get<Page<Alarm>>('/alarms', { enterpriseId: id, pageSize: 20 }),
  ]);
  const withPoints = await Promise.all(
    gateways.items.map(async (g) => ({ ...g, points: (await http.get<Page<Point>>(`/gateways/${g.id}/points`, { pageSize: 500 })).items })),
  );
  return { enterprise, gateways: withPoints, recent: recent.items };
}

/** A point reports within 3 × its interval (docs/domain.md offline rule), judged from its last reading. */
export function isPointOnline(lastAt: string | null, expectedIntervalS: number, now = Date.now()): boolean {
  return lastAt !== null && now - Date.parse(lastAt) <= 3 * expectedIntervalS * 1000;
}

/** "必选 12/14 已接入" (and how many are registered when that differs); '' when the categories have no set. */
export function mandatoryText(m: MandatoryConnected | undefined): string {
  if (!m || m.required === 0) return '';
  const registered = m.registered < m.required ? `（已登记 ${m.registered}）` : '';
  return `必选 ${m.connected}/${m.required} 已接入${registered}`;
}

/** The gateway that takes the mandatory set: the enterprise's first MQTT gateway. */
export function templateGatewayOf(gateways: readonly Gateway[]): Gateway | undefined {
  return gateways.find((g) => g.protocol === 'mqtt');
}
