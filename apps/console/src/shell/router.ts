// A history-API router: the api serves index.html for every console path (SPA fallback).
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

/** The current pathname; re-renders on navigate() and the back button. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** Click handler for in-app links: plain clicks navigate without a reload, others act as usual. */
export function onLinkClick(ev: MouseEvent): void {
  const a = (ev.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
}

export type RouteMatch =
  | { page: 'board' }
  | { page: 'alarm'; id: string }
  | { page: 'region' }
  | { page: 'enterprises' }
  | { page: 'enterprise'; id: string }
  | { page: 'kpi' }
  | { page: 'quality' }
  | { page: 'upward' }
  | { page: 'inspections' }
  | { page: 'inspection-draw' }
  | { page: 'inspection-due' }
  | { page: 'inspection-plan' }
  | { page: 'inspection'; id: string }
  | { page: 'hazards' }
  | { page: 'hazard-new' }
  | { page: 'hazard-analysis' }
  | { page: 'hazard'; id: string }
  | { page: 'reports' }
  | { page: 'not-found' };

export function matchRoute(path: string): RouteMatch {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/' || clean === '/board') return { page: 'board' };
  const alarm = /^\/alarms\/([^/]+)$/.exec(clean);
  if (alarm?.[1]) return { page: 'alarm', id: decodeURIComponent(alarm[1]) };
  if (clean === '/region') return { page: 'region' };
  if (clean === '/enterprises') return { page: 'enterprises' };
  const enterprise = /^\/enterprises\/([^/]+)$/.exec(clean);
  if (enterprise?.[1]) return { page: 'enterprise', id: decodeURIComponent(enterprise[1]) };
  if (clean === '/kpi') return { page: 'kpi' };
  if (clean === '/quality') return { page: 'quality' };
  if (clean === '/upward') return { page: 'upward' };
  if (clean === '/inspections') return { page: 'inspections' };
  if (clean === '/inspections/draw') return { page: 'inspection-draw' };
  if (clean === '/inspections/due') return { page: 'inspection-due' };
  if (clean === '/inspections/plan') return { page: 'inspection-plan' };
  const inspection = /^\/inspections\/([^/]+)$/.exec(clean);
  if (inspection?.[1]) return { page: 'inspection', id: decodeURIComponent(inspection[1]) };
  if (clean === '/hazards') return { page: 'hazards' };
  if (clean === '/hazards/new') return { page: 'hazard-new' };
  if (clean === '/hazards/analysis') return { page: 'hazard-analysis' };
  const hazard = /^\/hazards\/([^/]+)$/.exec(clean);
  if (hazard?.[1]) return { page: 'hazard', id: decodeURIComponent(hazard[1]) };
  if (clean === '/reports') return { page: 'reports' };
  return { page: 'not-found' };
}
