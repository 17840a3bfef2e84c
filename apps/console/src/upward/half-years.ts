import { shanghaiToday } from '../shared/format';

/** The current half year and the three before it, newest first. */
export function halfYears(today = shanghaiToday()): { from: string; to: string; label: string }[] {
  let year = Number(today.slice(0, 4));
  let first = today.slice(5) < '07-01';
  const out: { from: string; to: string; label: string }[] = [];
  for (let i = 0; i < 4; i++) {
    out.push(first ? { from: `${year}-01-01`, to: `${year}-06-30`, label: `${year} 年上半年` } : { from: `${year}-07-01`, to: `${year}-12-31`, label: `${year} 年下半年` });
    if (first) year -= 1;
    first = !first;
  }
  return out;
}
