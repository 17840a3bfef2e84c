/** A cut batch of line protocol on its way to InfluxDB. */
export interface QueuedBatch {
  /** the batch's number in cut order (1, 2, …): its readings are durable once it and every earlier one are */
  no: number;
  /** line protocol, one reading a line, in chunks */
  body: Buffer[];
  bytes: number;
  count: number;
  /** performance.now() when the batch's first reading arrived */
  cutAt: number;
}

/**
 * Batches neither InfluxDB nor the spool could take (spool at its bound, or its disk failing), kept
 * in memory in cut order until InfluxDB answers. They are not durable, so the PUBACKs of their
 * readings wait and MQTT gateways keep their messages. Nothing else stops the inflow (aedes 1.2 goes
 * on reading a client whose PUBACKs are due, an external broker's session takes 2,000 messages ahead,
 * Modbus polls wait for no PUBACK), so the list is bounded in readings: beyond `maxReadings` the oldest batches are given up, the last
 * resort when disk and memory are both exhausted.
 */
export class HeldBatches {
  private readonly list: QueuedBatch[] = [];
  private total = 0;

  constructor(private readonly maxReadings: number) {}

  /** readings held */
  get readings(): number {
    return this.total;
  }

  get length(): number {
    return this.list.length;
  }

  /** Holds a batch (newest last); returns the oldest batches given up to stay within the bound. */
  push(batch: QueuedBatch): QueuedBatch[] {
    this.list.push(batch);
    this.total += batch.count;
    const givenUp: QueuedBatch[] = [];
    while (this.total > this.maxReadings && this.list.length > 1) givenUp.push(this.shift() as QueuedBatch);
    return givenUp;
  }

  /** Takes the oldest out (to write it). */
  shift(): QueuedBatch | undefined {
    const batch = this.list.shift();
    if (batch) this.total -= batch.count;
    return batch;
  }

  /** Every batch, oldest first, leaving none (shutdown). */
  takeAll(): QueuedBatch[] {
    this.total = 0;
    return this.list.splice(0);
  }

  /** Puts a batch taken out back in front (its write failed). */
  unshift(batch: QueuedBatch): void {
    this.list.unshift(batch);
    this.total += batch.count;
  }
}
