import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { type AuthedRequest, clientInfoOf } from '../auth/auth.decorator';
import { errorBody } from '../http/http-error.filter';
import { AUDITED_KEY, type AuditedRoute } from './audited.decorator';
import { type AuditOutcome, AuditService } from './audit.service';

const SECRET_FIELDS = /password|secret|token/i;

/** Records the outcome of every `@Audited` route: ok, or denied (403/404/401/429) and rejected (400/409). */
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
    const record = (outcome: AuditOutcome, targetId: string | null, extra: Record<string, unknown>) =>
      this.audit.record({
        principal: req.principal ?? null,
        client: clientInfoOf(req),
        action: route.action,
        targetType: route.targetType,
        targetId,
        outcome,
        data: { request: `${req.method} ${req.path}`, ...auditedBody(req.body), ...extra },
      });
    const paramId = typeof req.params['id'] === 'string' ? req.params['id'] : null;
    return next.handle().pipe(
      mergeMap((result) => from(record('ok', idOf(result) ?? paramId, {}).then(() => result))),
      catchError((err: unknown) => {
        const { statusCode: status, message } = errorBody(err);
        const outcome: AuditOutcome = status === 400 || status === 409 ? 'rejected' : 'denied';
        return from(record(outcome, paramId, { status, reason: message })).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}

/** The request body as audited: secret-looking fields removed at every depth (e.g. a contact's robot token). */
export function auditedBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return redact(body) as Record<string, unknown>;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !SECRET_FIELDS.test(k)).map(([k, v]) => [k, redact(v)]));
}

function idOf(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { id?: unknown; gateway?: { id?: unknown } };
  if (typeof r.id === 'string') return r.id;
  return typeof r.gateway?.id === 'string' ? r.gateway.id : null;
}
