export * from './lib/grading.types';
export * from './lib/grading.constants';
export * from './lib/grade.rule';
export * from './lib/grading-config';
