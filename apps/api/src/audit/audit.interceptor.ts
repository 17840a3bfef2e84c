import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { AUDIT_LIMITS, boundedDetail, truncateText } from '@sw/persistence';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { type AuthedRequest, clientInfoOf } from '../auth/auth.decorator';
import { errorBody } from '@sw/http-edge';
import { AUDITED_KEY, type AuditedRoute } from './audited.decorator';
import { type AuditOutcome, AuditService } from './audit.service';
import { refusalOutcome } from './audit-outcome';

/** Half the row's budget: the rest is left for the request line, status and reason. */
const BODY_BYTES = AUDIT_LIMITS.maxBytes / 2;

interface BodySchema {
  safeParse(v: unknown): { success: true; data: unknown } | { success: false };
}

/**
 * Records the outcome of every `@Audited` route: ok, or denied (403/404/401/429) and rejected
 * (400/409). Only what passed the route's body schema is stored — redacted and size-capped — and
 * nothing of the body when the caller is not authenticated (the public login route records just
 * the fields it names, e.g. the username, cut to 64 characters). Requests the body parser refused
 * (too large, too deep, malformed) never reach a route, so they store nothing.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, ctx.getHandler());
    if (!route) return next.handle();
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const fields = () => (req.principal ? validatedBody(bodySchemaOf(ctx), req.body) : publicFields(route, req.body));
    const record = (outcome: AuditOutcome, targetId: string | null, extra: Record<string, unknown>) =>
      this.audit.record({
        principal: req.principal ?? null,
        client: clientInfoOf(req),
        action: route.action,
        targetType: route.targetType,
        targetId,
        outcome,
        data: { request: `${req.method} ${truncateText(req.path, 200)}`, ...fields(), ...extra },
      });
    const paramId = typeof req.params['id'] === 'string' ? truncateText(req.params['id'], 64) : null;
    return next.handle().pipe(
      mergeMap((result) => from(record('ok', idOf(result) ?? paramId, {}).then(() => result))),
      catchError((err: unknown) => {
        const { statusCode: status, message } = errorBody(err);
        const outcome: AuditOutcome = refusalOutcome(status);
        return from(record(outcome, paramId, { status, reason: message })).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}

/**
 * The body as audited: what the route's schema accepts (unknown keys dropped), secret-named fields
 * removed at every depth, strings cut, at most half the row's byte budget; nothing for a body the
 * schema refuses or a route without one.
 */
export function validatedBody(schema: BodySchema | null, body: unknown): Record<string, unknown> {
  if (!schema || typeof body !== 'object' || body === null) return {};
  const parsed = schema.safeParse(body);
  if (!parsed.success || typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) return {};
  return boundedDetail(parsed.data, { ...AUDIT_LIMITS, maxBytes: BODY_BYTES }) as Record<string, unknown>;
}

/** An unauthenticated call: only the string fields the route names, cut to 64 characters. */
function publicFields(route: AuditedRoute, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const kept = (route.publicFields ?? []).flatMap((f) => (typeof b[f] === 'string' ? [[f, truncateText(b[f], 64)] as const] : []));
  return Object.fromEntries(kept);
}

/** The zod schema of the handler's `@Body()` DTO (nestjs-zod `createZodDto`), if it has one. */
function bodySchemaOf(ctx: ExecutionContext): BodySchema | null {
  const method = ctx.getHandler().name;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), method) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', ctx.getClass().prototype as object, method) ?? []) as unknown[];
  const body = Object.entries(args).find(([key]) => Number(key.split(':')[0]) === RouteParamtypes.BODY);
  const schema = body ? (types[body[1].index] as { schema?: Partial<BodySchema> } | undefined)?.schema : undefined;
  return typeof schema?.safeParse === 'function' ? (schema as BodySchema) : null;
}

function idOf(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { id?: unknown; gateway?: { id?: unknown } };
  if (typeof r.id === 'string') return r.id;
  return typeof r.gateway?.id === 'string' ? r.gateway.id : null;
}
