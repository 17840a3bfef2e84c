/* Unit specs only: beside the code, no services needed. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'mqtt',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
