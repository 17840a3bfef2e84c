/** Domain errors carry a code; each transport maps it (HTTP status, CLI exit, MQTT error topic). */
export type RegistryErrorCode = 'invalid' | 'not_found' | 'conflict';

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
