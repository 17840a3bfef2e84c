export * from './lib/topic-filter';
export * from './lib/broker.client';
