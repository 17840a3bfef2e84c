export * from './lib/domain.errors';
