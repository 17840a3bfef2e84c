// Everything a signed-in console needs, wired once per login: REST client, live feed, the board's
// alarms, the enterprise directory, live readings and the alert sound.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Alarm, Page, ReadingFrame } from '../api/api.types';
import { HttpClient } from '../api/http.client';
import type { Session } from '../api/session.service';
import { AlarmBoardStore, needsAlert } from '../live/alarm-board.store';
import { type FeedStatus, LiveFeedClient } from '../live/live-feed.client';
import { AlertSound } from '../shared/alert-sound';
import { EnterpriseDirectory } from '../shared/enterprise-directory';
import { Observable } from '../shared/observable';

export interface ConsoleServices {
  session: Session;
  http: HttpClient;
  feed: LiveFeedClient;
  status: Observable<FeedStatus>;
  board: AlarmBoardStore;
  directory: EnterpriseDirectory;
  /** latest live reading per point */
  readings: Observable<ReadonlyMap<string, ReadingFrame>>;
  sound: AlertSound;
  stop(): void;
}

export function createConsole(session: Session, logout: () => void): ConsoleServices {
  const http = new HttpClient(() => session.token, logout);
  const board = new AlarmBoardStore();
  const directory = new EnterpriseDirectory(http);
  const status = new Observable<FeedStatus>('connecting');
  const readings = new Observable<ReadonlyMap<string, ReadingFrame>>(new Map());
  const sound = new AlertSound();
  let loaded = false;

  // The unclosed alarms, fetched once the feed is live: its cursor (the `ready` head) then
  // precedes the page, so nothing falls between the page and the feed.
  const loadBoard = async () => {
    const page = await http.get<Page<Alarm>>('/alarms', { stage: 'open,disposed', pageSize: 500 });
    board.merge(page.items);
    loaded = true;
  };

  const feed = new LiveFeedClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    token: () => session.token,
    handlers: {
      alarm: (frame) => {
        if (!board.apply(frame)) return;
        directory.ensure(frame.alarm.enterpriseId);
        if (needsAlert(frame)) sound.beep(); // the row flashes while isUnhandledRed
      },
      reading: (frame) => readings.set(new Map(readings.value).set(frame.pointId, frame)),
      status: (s) => {
        status.set(s);
        if (s === 'live' && !loaded) void loadBoard().catch(() => undefined);
      },
      unauthorized: logout,
    },
  });

  const unlock = () => sound.unlock();
  unlock(); // right after the login gesture; after a reload, at the first click or key
  document.addEventListener('pointerdown', unlock);
  document.addEventListener('keydown', unlock);
  feed.start();
  void directory.load().catch(() => undefined);

  return {
    session,
    http,
    feed,
    status,
    board,
    directory,
    readings,
    sound,
    stop: () => {
      document.removeEventListener('pointerdown', unlock);
      document.removeEventListener('keydown', unlock);
      feed.stop();
    },
  };
}

export const ConsoleContext = createContext<ConsoleServices | null>(null);

export function useConsole(): ConsoleServices {
  const services = useContext(ConsoleContext);
  if (!services) throw new Error('useConsole outside a signed-in console');
  return services;
}
