import { BadRequestException } from '@nestjs/common';
import { describeIssues } from '@sw/persistence';
import { createZodValidationPipe } from 'nestjs-zod';
import { ZodError } from 'zod';

/**
 * Validates every `@Body()`/`@Query()` typed with a nestjs-zod DTO; a failure answers
 * docs/contracts.md §4's 400 `{"statusCode", "error", "message": ["path: reason", …]}`.
 */
export const ApiValidationPipe = createZodValidationPipe({
  createValidationException: (error: unknown) =>
    new BadRequestException(error instanceof ZodError ? describeIssues(error) : 'invalid input'),
});
