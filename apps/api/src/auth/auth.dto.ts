import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export class TokenRequestDto extends createZodDto(
  z.object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
  }),
) {}
