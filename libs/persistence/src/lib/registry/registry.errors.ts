import { DomainError } from '@sw/errors';

/** The registry's refusals are domain errors of these kinds (docs/style.md "Edges"); transports map the kind. */
export type RegistryErrorCode = 'invalid' | 'not_found' | 'conflict';

export class RegistryError extends DomainError {
  constructor(
    override readonly kind: RegistryErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(kind, message, { reasons: details });
    this.name = 'RegistryError';
  }
}
