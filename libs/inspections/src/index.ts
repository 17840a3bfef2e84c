export * from './lib/draw/seeded-random';
export * from './lib/draw/double-random-draw';
export * from './lib/policy/inspection-policy';
export * from './lib/policy/calendar-day';
export * from './lib/policy/due-list';
export * from './lib/checklist/checklist';
export * from './lib/life/inspection-life.rule';
