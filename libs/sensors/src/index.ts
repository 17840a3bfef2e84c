// The one public door of @sw/sensors: the domain of readings, pure TypeScript (no IO, no framework).

export type {
  ContextType,
  PointType,
  PointTypeSpec,
  SignalKind,
  Thresholds,
  Tier,
  TierSetpoints,
} from './lib/catalog/point-catalog.types';
export { POINT_CATALOG, POINT_TYPES, TIERS, isPointType } from './lib/catalog/point-catalog.constants';
export {
  CATEGORY_TEMPLATES,
  mandatoryCoverage,
  mandatorySetOf,
  type CategoryTemplate,
  type MandatoryCoverage,
  type TemplateCategory,
  type TemplatePoint,
} from './lib/catalog/category-templates.constants';
export {
  MOLAR_VOLUME_L_PER_MOL,
  isUnitAccepted,
  mgPerM3ToPpm,
  ppmToMgPerM3,
  specForUnit,
  unitFactor,
} from './lib/catalog/point-units';
export {
  DEFAULT_DEADBAND_FRACTION,
  defaultDeadband,
  effectiveDeadband,
  mergeThresholds,
} from './lib/catalog/thresholds';

export type {
  DecodedReading,
  DecodedTelemetry,
  Quality,
  ReadingRejection,
} from './lib/telemetry/telemetry.types';
export { POINT_CODE_PATTERN, TELEMETRY_LIMITS } from './lib/telemetry/telemetry.constants';
export { checkReadingForPoint, decodeTelemetry } from './lib/telemetry/telemetry-decoder';
export { MessageDeduplicator, type MessageDeduplicatorOptions } from './lib/telemetry/message-deduplicator';

export { isValidRegionCode, normalizeRegionPrefix, regionInPrefix } from './lib/codes/region-code';
export { isValidUscc, usccCheckChar } from './lib/codes/uscc';
export { regionFullName, regionLabel, regionName } from './lib/codes/region-names';

export { TOPICS, parseGatewayTopic, partitionOf } from './lib/transport/topics.constants';
export {
  decodeReadingBatch,
  encodePointId,
  encodeReadingBatch,
  ReadingBatchEncoder,
  type NormalizedReading,
} from './lib/transport/reading-batch.codec';

export type {
  PlannedItem,
  ReadPlan,
  ReadRequest,
  RegisterFunction,
  RegisterSpec,
  RegisterType,
  RegisterValue,
  WordOrder,
} from './lib/modbus/register-map.types';
export {
  DEFAULT_MAX_GAP,
  MODBUS_EXCEPTIONS,
  MODBUS_FUNCTION_CODES,
  MODBUS_READ_LIMITS,
  REGISTER_COUNTS,
  modbusExceptionReason,
} from './lib/modbus/modbus.constants';
export { decodeBitValue, decodeRegisterValue, decodeRequest } from './lib/modbus/register-decoder';
export { planReads, splitRequest, type PlanOptions } from './lib/modbus/read-planner';
export {
  NO_BAND,
  decodePriorityReading,
  encodePriorityReading,
  inBand,
  setpointBand,
  type PriorityReading,
  type SetpointBand,
} from './lib/transport/priority-reading';
export { HopTrace, hopKey, hopTrace, hopTraceSettings, type HopMark } from './lib/transport/hop-trace';
export type { Clock, TimerDriver } from './lib/time/timer-driver.types';
