// The console root: login until there is a session, then the shell with the routed page.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { clearSession, loadSession, saveSession, type Session } from '../api/session.service';
import { AlarmPage } from '../alarm/alarm-page';
import { BoardPage } from '../board/board-page';
import { EnterprisePage } from '../enterprise/enterprise-page';
import { EnterprisesPage } from '../enterprise/enterprises-page';
import { DrawPage } from '../inspection/draw-page';
import { DuePage } from '../inspection/due-page';
import { InspectionListPage } from '../inspection/inspection-list-page';
import { InspectionPage } from '../inspection/inspection-page';
import { PlanPage } from '../inspection/plan-page';
import { HazardAnalysisPage } from '../hazards/hazard-analysis-page';
import { HazardNewPage } from '../hazards/hazard-new-page';
import { HazardPage } from '../hazards/hazard-page';
import { HazardsPage } from '../hazards/hazards-page';
import { ReportsPage } from '../hazards/reports-page';
import { KpiPage } from '../kpi/kpi-page';
import { QualityPage } from '../ledger/quality-page';
import { LoginPage } from '../login/login-page';
import { RegionPage } from '../region/region-page';
import { UpwardPage } from '../upward/upward-page';
import { ConsoleContext, createConsole } from './console.service';
import { Header } from './header';
import { matchRoute, navigate, type RouteMatch, usePath } from './router';

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession(sessionStorage));
  const logout = () => {
    clearSession(sessionStorage);
    setSession(null);
  };
  const login = (token: string) => {
    const s = saveSession(sessionStorage, token);
    setSession(s);
    if (s?.role === 'enterprise' && s.enterpriseId) navigate(`/enterprises/${s.enterpriseId}`, true);
  };
  if (!session) return <LoginPage onToken={login} />;
  return <SignedIn key={session.token} session={session} logout={logout} />;
}

function SignedIn({ session, logout }: { session: Session; logout: () => void }) {
  const services = useMemo(() => createConsole(session, logout), [session]);
  useEffect(() => () => services.stop(), [services]);
  const path = usePath();
  return (
    <ConsoleContext.Provider value={services}>
      <Header path={path} onLogout={logout} />
      <main class="page">
        <Page route={matchRoute(path)} />
      </main>
    </ConsoleContext.Provider>
  );
}

function Page({ route }: { route: RouteMatch }) {
  switch (route.page) {
    case 'board':
      return <BoardPage />;
    case 'alarm':
      return <AlarmPage key={route.id} id={route.id} />;
    case 'region':
      return <RegionPage />;
    case 'enterprises':
      return <EnterprisesPage />;
    case 'enterprise':
      return <EnterprisePage key={route.id} id={route.id} />;
    case 'kpi':
      return <KpiPage />;
    case 'quality':
      return <QualityPage />;
    case 'upward':
      return <UpwardPage />;
    case 'inspections':
      return <InspectionListPage />;
    case 'inspection-draw':
      return <DrawPage />;
    case 'inspection-due':
      return <DuePage />;
    case 'inspection-plan':
      return <PlanPage />;
    case 'inspection':
      return <InspectionPage key={route.id} id={route.id} />;
    case 'hazards':
      return <HazardsPage />;
    case 'hazard-new':
      return <HazardNewPage key={location.search} />;
    case 'hazard-analysis':
      return <HazardAnalysisPage />;
    case 'hazard':
      return <HazardPage key={route.id} id={route.id} />;
    case 'reports':
      return <ReportsPage />;
    case 'not-found':
      return <p class="empty">页面不存在</p>;
  }
}
