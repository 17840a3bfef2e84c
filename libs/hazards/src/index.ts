export * from './lib/catalogue/hazard-catalogue.types';
export * from './lib/catalogue/hazard-catalogue.constants';
export * from './lib/life/hazard.types';
export * from './lib/life/hazard-life.rule';
export * from './lib/evidence/evidence-image';
export * as evidenceImageFactory from './lib/testing/evidence-image.factory';
export * from './lib/notices/hazard-notice.rule';
export * from './lib/analysis/hazard-analysis';
