/* Every project's unit specs in one jest run (scripts/test.sh uses it for one result file). */
module.exports = {
  rootDir: __dirname,
  projects: ['<rootDir>/apps/*/jest.config.cts', '<rootDir>/libs/*/jest.config.cts'],
};
