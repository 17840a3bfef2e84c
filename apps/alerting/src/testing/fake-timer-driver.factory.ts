// The fake timer driver is shared with ingest's specs: it lives in @sw/testing.
export { FakeTimerDriver } from '@sw/testing';
