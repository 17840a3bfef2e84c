import { createGatewaySchema, type Gateway, updateGatewaySchema } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';

export class CreateGatewayDto extends createZodDto(createGatewaySchema) {}
export class UpdateGatewayDto extends createZodDto(updateGatewaySchema) {}

/** A gateway as the API shows it: never its secret hashes. */
export function gatewayView(g: Gateway) {
  return {
    id: g.id,
    enterpriseId: g.enterpriseId,
    code: g.code,
    protocol: g.protocol,
    modbus: g.modbus,
    online: g.online,
    lastSeenAt: g.lastSeenAt,
    firstReadingAt: g.firstReadingAt,
    secretRotatedAt: g.secretRotatedAt,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}
