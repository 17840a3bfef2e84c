import type { Tier } from '../api/api.types';
import { TIER_COLOUR_NAME, TIER_LABEL } from '../shared/labels';
import type { TierCount } from './board-filter';

interface Props {
  counts: TierCount[];
  selected: Tier | '';
  onSelect(tier: Tier | ''): void;
}

/** Active alarms per tier; a click filters the board to that tier (again: all tiers). */
export function TierCounts({ counts, selected, onSelect }: Props) {
  return (
    <div class="tier-counts" role="group" aria-label="各级报警数">
      {counts.map((c) => (
        <button
          type="button"
          key={c.tier}
          class={`tier-count tier-${c.tier}${selected === c.tier ? ' selected' : ''}${c.tier === 'red' && c.unacked > 0 ? ' flash' : ''}`}
          data-tier={c.tier}
          onClick={() => onSelect(selected === c.tier ? '' : c.tier)}
        >
          <span class="tier-name">
            {TIER_LABEL[c.tier]}
            {TIER_COLOUR_NAME[c.tier]}
          </span>
          <span class="tier-number" data-count={c.active}>
            {c.active}
          </span>
          <span class="tier-unacked">未确认 {c.unacked}</span>
        </button>
      ))}
    </div>
  );
}
