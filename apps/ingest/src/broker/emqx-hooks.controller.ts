import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { GatewayAuthService } from './gateway-auth.service';
import { gatewayMayPublish, gatewayMaySubscribe } from './topic-acl';

const authBody = z.object({ username: z.string().optional(), password: z.string().optional(), clientid: z.string().optional(), peerhost: z.string().max(64).optional() });
const aclBody = z.object({
  username: z.string().optional(),
  topic: z.string().min(1),
  action: z.enum(['publish', 'subscribe']),
  // EMQX sends every value as a string
  retain: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
});

type HookAnswer = { result: 'allow' | 'deny'; is_superuser?: boolean };

/**
 * EMQX's HTTP authentication and authorization hooks (docs/contracts.md §1, docker/README.md): the
 * same credential check and topic rules as the embedded broker, answered for an external EMQX.
 */
@Controller('mqtt')
export class EmqxHooksController {
  constructor(private readonly auth: GatewayAuthService) {}

  @Post('auth')
  @HttpCode(200)
  async authenticate(@Body() body: unknown): Promise<HookAnswer> {
    const { username, password, clientid, peerhost } = parse(authBody, body);
    const principal = await this.auth.authenticate(username, password === undefined ? undefined : Buffer.from(password), peerhost);
    if (!principal) return { result: 'deny' };
    // The client id rule of the embedded broker. EMQX does not pass the clean-start flag: its own
    // `mqtt.max_mqueue_len` (1000 by default) bounds what a persistent gateway session can queue.
    if (this.auth.refuseSession(principal, clientid ?? '', true)) return { result: 'deny' };
    return { result: 'allow', is_superuser: principal.kind === 'service' };
  }

  @Post('acl')
  @HttpCode(200)
  authorize(@Body() body: unknown): HookAnswer {
    const { username, topic, action, retain } = parse(aclBody, body);
    if (!username) return { result: 'deny' };
    if (this.auth.isServiceAccount(username)) return { result: 'allow' };
    // Retained telemetry is refused as in the embedded broker; a state payload is judged by ingest
    // when it arrives (the hook never sees payloads).
    const kind = action === 'publish' ? gatewayMayPublish(username, topic) : null;
    const allowed = action === 'publish' ? kind !== null && !(kind === 'telemetry' && retain === true) : gatewayMaySubscribe(username, topic);
    return { result: allowed ? 'allow' : 'deny' };
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestException(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
  return result.data;
}
