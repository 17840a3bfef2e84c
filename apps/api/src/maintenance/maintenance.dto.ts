import { maintenanceSchema } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class StartMaintenanceDto extends createZodDto(maintenanceSchema) {}

export class DecisionDto extends createZodDto(z.object({ note: z.string().trim().max(2000).optional() }).strict()) {}

export class RejectDto extends createZodDto(z.object({ note: z.string().trim().min(1).max(2000) }).strict()) {}

export class MaintenanceListQueryDto extends createZodDto(
  z.object({
    status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
    /** only windows running now */
    active: z.enum(['true', 'false']).optional(),
    pointId: z.uuid().optional(),
  }),
) {}
