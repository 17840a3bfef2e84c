/* The helpers are exercised by services.int-spec.ts in the integration run (real influxd, mosquitto, PostgreSQL). */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'testing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
