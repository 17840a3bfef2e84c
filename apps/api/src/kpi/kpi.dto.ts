import { calendarDate } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regionPrefixQuery } from '../enterprises/enterprises.dto';

export class ConnectionKpiQueryDto extends createZodDto(
  z.object({
    /** region prefix; a regulator's own by default */
    regionCode: regionPrefixQuery.optional(),
    /** Asia/Shanghai day; today by default */
    asOf: calendarDate.optional(),
  }),
) {}
