export * from './lib/secret-strength';
export * from './lib/example-values';
export * from './lib/internal-access';
