// Shared jest settings. ts-jest transpiles only (isolatedModules); `npm run typecheck` type-checks.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
    // aedes 1.x is ESM-only; jest (CommonJS) loads it through this transform.
    '^.+/node_modules/aedes/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!aedes/)'],
};
