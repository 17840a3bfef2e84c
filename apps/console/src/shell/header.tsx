import { useState } from 'preact/hooks';
import { ROLE_LABEL } from '../shared/labels';
import { useObservable } from '../shared/observable';
import { ReminderBanner } from '../upward/reminder-banner';
import { useConsole } from './console.service';
import { Link } from './link';

const STATUS_TEXT = { connecting: '连接中', replaying: '同步中', live: '实时', offline: '离线' } as const;

export function Header({ path, onLogout }: { path: string; onLogout: () => void }) {
  const { session, status: feedStatus, sound } = useConsole();
  const status = useObservable(feedStatus);
  const [muted, setMuted] = useState(sound.muted);
  const regulator = session.role !== 'enterprise';
  const links: [string, string][] = [
    ['/', '报警看板'],
    ['/hazards', '隐患'],
    ...(regulator ? ([['/reports', '举报'], ['/region', '区域概览'], ['/enterprises', '企业'], ['/quality', '数据质量'], ['/inspections', '执法'], ['/kpi', '指标'], ['/upward', '上报']] as [string, string][]) : []),
    ...(!regulator && session.enterpriseId ? ([[`/enterprises/${session.enterpriseId}`, '本企业']] as [string, string][]) : []),
  ];
  const current = (href: string) => (href === '/' ? path === '/' || path.startsWith('/alarms') : path.startsWith(href));
  const toggleMute = () => {
    sound.muted = !sound.muted;
    setMuted(sound.muted);
  };

  return (
    <>
      <header class="topbar">
        <span class="brand">安全风险监测预警</span>
        <nav>
          {links.map(([href, text]) => (
            <Link key={href} href={href} class={current(href) ? 'active' : undefined}>
              {text}
            </Link>
          ))}
        </nav>
        <span class={`feed-status ${status}`} data-feed-status={status}>
          {STATUS_TEXT[status]}
        </span>
        <button type="button" class="ghost" onClick={toggleMute} title="红色报警提示音">
          {muted ? '声音：关' : '声音：开'}
        </button>
        <span class="user" title={session.regionCode ?? session.enterpriseId ?? ''}>
          {session.username} · {ROLE_LABEL[session.role]}
        </span>
        <button type="button" class="ghost" onClick={onLogout}>
          退出
        </button>
      </header>
      {regulator && !path.startsWith('/upward') && <ReminderBanner />}
      {status === 'offline' && (
        <div class="offline-banner" role="alert">
          实时连接已断开，正在自动重连…恢复后将自动补齐断开期间的报警
        </div>
      )}
    </>
  );
}
