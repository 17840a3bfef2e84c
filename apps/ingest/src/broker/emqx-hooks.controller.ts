import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { GatewayAuthService } from './gateway-auth.service';
import { gatewayMayPublish, gatewayMaySubscribe } from './topic-acl';

const authBody = z.object({ username: z.string().optional(), password: z.string().optional(), clientid: z.string().optional(), peerhost: z.string().max(64).optional() });
const aclBody = z.object({ username: z.string().optional(), topic: z.string().min(1), action: z.enum(['publish', 'subscribe']) });

type HookAnswer = { result: 'allow' | 'deny'; is_superuser?: boolean };

/**
 * EMQX's HTTP authentication and authorization hooks (CONTRACTS.md §1, docker/README.md): the
 * same credential check and topic rules as the embedded broker, answered for an external EMQX.
 */
@Controller('mqtt')
export class EmqxHooksController {
  constructor(private readonly auth: GatewayAuthService) {}

  @Post('auth')
  @HttpCode(200)
  async authenticate(@Body() body: unknown): Promise<HookAnswer> {
    const { username, password, peerhost } = parse(authBody, body);
    const principal = await this.auth.authenticate(username, password === undefined ? undefined : Buffer.from(password), peerhost);
    if (!principal) return { result: 'deny' };
    return { result: 'allow', is_superuser: principal.kind === 'service' };
  }

  @Post('acl')
  @HttpCode(200)
  authorize(@Body() body: unknown): HookAnswer {
    const { username, topic, action } = parse(aclBody, body);
    if (!username) return { result: 'deny' };
    if (this.auth.isServiceAccount(username)) return { result: 'allow' };
    const allowed = action === 'publish' ? gatewayMayPublish(username, topic) !== null : gatewayMaySubscribe(username, topic);
    return { result: allowed ? 'allow' : 'deny' };
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new BadRequestException(result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
  return result.data;
}
