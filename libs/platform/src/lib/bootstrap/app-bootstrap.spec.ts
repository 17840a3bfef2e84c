import { Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { loggerModule } from '../logging/logger.module';
import { bootstrapApp, runMain } from './app-bootstrap';

const shutdowns: string[] = [];

@Injectable()
class Recorder implements OnApplicationShutdown {
  onApplicationShutdown(signal?: string): void {
    shutdowns.push(signal ?? 'close');
  }
}

@Injectable()
class FailingInit implements OnModuleInit {
  onModuleInit(): void {
    throw new Error('broker refused the session');
  }
}

const logs = loggerModule({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' });

@Module({ imports: [logs], providers: [Recorder] })
class GoodModule {}

@Module({ imports: [logs], providers: [Recorder, FailingInit] })
class FailingModule {}

describe(bootstrapApp.name, () => {
  beforeEach(() => (shutdowns.length = 0));

  it('listens where it is told, after configure ran; close runs the shutdown hooks', async () => {
    const configured = jest.fn();
    const app = await bootstrapApp({ module: { module: GoodModule }, port: 0, host: '127.0.0.1', configure: configured });
    expect(configured).toHaveBeenCalledWith(app);
    const address = app.getHttpServer().address() as { address: string; port: number };
    expect(address.address).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    await app.close();
    expect(shutdowns).toEqual(['close']);
  });

  it('SIGTERM runs the shutdown hooks (enableShutdownHooks)', async () => {
    const app = await bootstrapApp({ module: { module: GoodModule }, port: 0, host: '127.0.0.1' });
    // Nest re-raises the signal once its hooks ran; here that is the end of the shutdown
    let reraised!: (signal: unknown) => void;
    const done = new Promise<unknown>((resolve) => (reraised = resolve));
    const kill = jest.spyOn(process, 'kill').mockImplementation((_pid, signal) => (reraised(signal), true));
    try {
      process.emit('SIGTERM', 'SIGTERM');
      await expect(done).resolves.toBe('SIGTERM');
      expect(shutdowns).toEqual(['SIGTERM']);
    } finally {
      kill.mockRestore();
      await app.close();
    }
  });

  it('a failed start closes what did start only when asked (closeOnFailedListen)', async () => {
    await expect(bootstrapApp({ module: { module: FailingModule }, port: 0, host: '127.0.0.1' })).rejects.toThrow('broker refused the session');
    expect(shutdowns).toEqual([]);
    await expect(bootstrapApp({ module: { module: FailingModule }, port: 0, host: '127.0.0.1', closeOnFailedListen: true })).rejects.toThrow('broker refused the session');
    expect(shutdowns).toEqual(['close']);
  });
});

describe(runMain.name, () => {
  it('a failed start ends with one line naming it and exit code 1', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exited = new Promise<unknown>((resolve) => jest.spyOn(process, 'exit').mockImplementation((code) => (resolve(code), undefined as never)));
    try {
      runMain('demo', () => Promise.reject(new Error('invalid demo configuration:\n  PORT: too big')));
      await expect(exited).resolves.toBe(1);
      expect(write).toHaveBeenCalledWith('demo failed to start: invalid demo configuration:\n  PORT: too big\n');
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('a start that throws before its promise is caught the same way', async () => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exited = new Promise<unknown>((resolve) => jest.spyOn(process, 'exit').mockImplementation((code) => (resolve(code), undefined as never)));
    try {
      runMain('demo', () => {
        throw new Error('boom');
      });
      await expect(exited).resolves.toBe(1);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
