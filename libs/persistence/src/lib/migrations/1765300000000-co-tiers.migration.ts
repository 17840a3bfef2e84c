import type { MigrationInterface, QueryRunner } from 'typeorm';

// The superseded CO pair (yellow 24 ppm, orange 160 ppm) and the corrected tiers (docs/domain.md: GB/T
// 50493-2019 二级 ≤ 200 % of GBZ 2.1 PC-STEL 30 mg/m³ → orange 48 ppm; 160 ppm is red), per unit.
const PAIRS = [
  { unit: 'ppm', old: { yellow: 24, orange: 160 }, corrected: { yellow: 24, orange: 48, red: 160 } },
  { unit: 'mg/m3', old: { yellow: 30, orange: 200 }, corrected: { yellow: 30, orange: 60, red: 200 } },
];

/**
 * CO points and stored CO rules that carry the old default setpoints as their own (copied from
 * the catalog when they were registered, e.g. by a ledger import or the console) get the
 * corrected tiers; points with other setpoints were chosen on purpose and stay. Alerting judges
 * the next reading of each such point with the new tiers, so an open "orange at 160" alarm moves.
 */
export class CoTiers1765300000000 implements MigrationInterface {
  name = 'CoTiers1765300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const { unit, old, corrected } of PAIRS) {
      await q.query(
        `UPDATE points SET thresholds = jsonb_set(thresholds, '{high}', $3::jsonb), updated_at = now()
          WHERE type = 'co' AND unit = $1 AND thresholds -> 'high' = $2::jsonb`,
        [unit, JSON.stringify(old), JSON.stringify(corrected)],
      );
    }
    // stored rules for CO (by type, or on a CO point) in ppm, the catalog's unit
    await q.query(
      `UPDATE rules r SET definition = jsonb_set(r.definition, '{thresholds,high}', $2::jsonb), updated_at = now()
        WHERE r.definition -> 'thresholds' -> 'high' = $1::jsonb
          AND (r.point_type = 'co' OR EXISTS (SELECT 1 FROM points p WHERE p.id = r.point_id AND p.type = 'co' AND p.unit = 'ppm'))`,
      [JSON.stringify(PAIRS[0]?.old), JSON.stringify(PAIRS[0]?.corrected)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { unit, old, corrected } of PAIRS) {
      await q.query(
        `UPDATE points SET thresholds = jsonb_set(thresholds, '{high}', $3::jsonb), updated_at = now()
          WHERE type = 'co' AND unit = $1 AND thresholds -> 'high' = $2::jsonb`,
        [unit, JSON.stringify(corrected), JSON.stringify(old)],
      );
    }
    await q.query(
      `UPDATE rules r SET definition = jsonb_set(r.definition, '{thresholds,high}', $2::jsonb), updated_at = now()
        WHERE r.definition -> 'thresholds' -> 'high' = $1::jsonb
          AND (r.point_type = 'co' OR EXISTS (SELECT 1 FROM points p WHERE p.id = r.point_id AND p.type = 'co' AND p.unit = 'ppm'))`,
      [JSON.stringify(PAIRS[0]?.corrected), JSON.stringify(PAIRS[0]?.old)],
    );
  }
}
