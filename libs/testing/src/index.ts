// Test support: real services on their own ports and folders, for integration and e2e specs only.
export * from './lib/influxd';
export * from './lib/mosquitto';
export * from './lib/platform';
export * from './lib/ports';
export * from './lib/postgres';
export * from './lib/test-services';
export * from './lib/wait';
export * from './lib/app-process';
export * from './lib/pymodbus';
export * from './lib/providers';
export * from './lib/secrets';
export * from './lib/fake-timer-driver';
