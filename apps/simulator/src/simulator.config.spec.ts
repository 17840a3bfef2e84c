import { join, resolve } from 'node:path';
import { credentialsPath, loadSimulatorConfig, workspaceRoot } from './simulator.config';

describe(loadSimulatorConfig.name, () => {
  it('has defaults for a single machine', () => {
    expect(loadSimulatorConfig({})).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/safety_watch',
      SIMULATOR_API_URL: 'http://127.0.0.1:3000',
      SIMULATOR_CONTROL_HOST: '127.0.0.1',
      SIMULATOR_CONTROL_PORT: 3009,
      SIMULATOR_MODBUS_HOST: '127.0.0.1',
      SIMULATOR_MODBUS_PORT: 1502,
    });
  });

  it('refuses a bad port or broker URL with the reason', () => {
    expect(() => loadSimulatorConfig({ SIMULATOR_CONTROL_PORT: 'x' })).toThrow(/SIMULATOR_CONTROL_PORT/);
    expect(() => loadSimulatorConfig({ SIMULATOR_BROKER_URL: 'http://x' })).toThrow(/SIMULATOR_BROKER_URL/);
  });
});

describe(credentialsPath.name, () => {
  it('prefers the flag, then the environment, then the file under the repo root', () => {
    const config = loadSimulatorConfig({});
    expect(credentialsPath(config, 'x.json')).toBe(resolve('x.json'));
    expect(credentialsPath(loadSimulatorConfig({ SIMULATOR_CREDENTIALS: '/tmp/c.json' }), undefined)).toBe('/tmp/c.json');
    expect(credentialsPath(config, undefined)).toBe(join(workspaceRoot(), '.demo/credentials.json'));
  });
});
