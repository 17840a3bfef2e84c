// The uplink to a provincial platform (docs/contracts.md §6): the generic JSON-over-HTTPS contract,
// its HMAC-SHA256 request signature, and the pure timing rules of store and forward.
export * from './lib/contract.types';
export * from './lib/signature';
export * from './lib/delivery-policy';
