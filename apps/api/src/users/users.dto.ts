import { changeRoleSchema, createUserSchema, resetPasswordSchema } from '@sw/persistence';
import { createZodDto } from 'nestjs-zod';

export class CreateUserDto extends createZodDto(createUserSchema) {}
export class ChangeRoleDto extends createZodDto(changeRoleSchema) {}
export class ResetPasswordDto extends createZodDto(resetPasswordSchema) {}
