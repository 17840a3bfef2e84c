export * from './lib/http-error.filter';
export * from './lib/http-errors.module';
