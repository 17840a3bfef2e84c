import type { BatchOutcome, UplinkBatch } from '@sw/uplink-protocol';

/**
 * One provincial data-access specification (docs/contracts.md §6): turns a batch of one
 * enterprise's messages into that province's request and its answer into an outcome. A transport
 * failure (refused, timeout, TLS) is a `retry`, never a throw.
 */
export interface ProvinceAdapter {
  readonly id: string;
  /** Where it sends (shown in the status; no credentials in it). */
  readonly endpoint: string;
  send(batch: UplinkBatch): Promise<BatchOutcome & { code: string }>;
  close(): void;
}

export const PROVINCE_ADAPTER = Symbol('PROVINCE_ADAPTER');
