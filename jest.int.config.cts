/* Integration and end-to-end specs: real PostgreSQL, influxd and mosquitto (see test/support). */
module.exports = {
  ...require('./jest.preset.cjs'),
  rootDir: __dirname,
  testMatch: [
    '<rootDir>/apps/**/*.int-spec.ts',
    '<rootDir>/libs/**/*.int-spec.ts',
    '<rootDir>/test/**/*.int-spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  testTimeout: 120000,
  maxWorkers: 1,
};
