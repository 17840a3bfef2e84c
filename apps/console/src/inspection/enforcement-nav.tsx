// The 执法 section's own links: 双随机抽查, 检查任务, 应检清单, 年度计划.
import { Link } from '../shell/link';

const LINKS: [string, string][] = [
  ['/inspections/draw', '双随机抽查'],
  ['/inspections', '检查任务'],
  ['/inspections/due', '应检清单'],
  ['/inspections/plan', '年度计划'],
];

export function EnforcementNav({ current }: { current: string }) {
  return (
    <nav class="enforcement-nav" aria-label="执法">
      {LINKS.map(([href, text]) => (
        <Link key={href} href={href} class={current === href ? 'active' : undefined}>
          {text}
        </Link>
      ))}
    </nav>
  );
}
