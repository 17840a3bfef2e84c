/* Unit specs only: beside the code, no services needed. */
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'hazards',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
