import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4 } from 'node:net';
import { ForbiddenException, Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ALERTING_CONFIG, type AlertingConfig } from '../config/alerting.config';

/** `1.2.3.0/24, ::1/128, 10.0.0.7` → a BlockList (used as an allow-list); throws on a malformed entry. */
export function receiptSources(cidrs: string): BlockList {
  const list = new BlockList();
  for (const entry of cidrs.split(',').map((c) => c.trim()).filter(Boolean)) {
    const [address = '', bits] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!Number.isInteger(prefix)) throw new Error(`SMS_RECEIPT_ALLOWED_CIDRS: ${entry} is not a CIDR`);
    list.addSubnet(address, prefix, type); // throws on a bad address or prefix
  }
  return list;
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Authenticates a receipt push. Aliyun's SmsReport HTTP batch push carries no signature (only its
 * MNS queue mode is authenticated, and that is pulled, not pushed), so the callback URL's secret
 * path segment `:token` authenticates the push (compared in constant time), optionally with an
 * allow-list of source addresses (`SMS_RECEIPT_ALLOWED_CIDRS`); without a configured token the
 * endpoint answers 404 (issue 18: it accepted receipts from anyone).
 */
@Injectable()
export class ReceiptsGuard implements CanActivate {
  private readonly sources: BlockList | null;

  constructor(@Inject(ALERTING_CONFIG) private readonly config: AlertingConfig) {
    this.sources = config.SMS_RECEIPT_ALLOWED_CIDRS ? receiptSources(config.SMS_RECEIPT_ALLOWED_CIDRS) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const expected = this.config.SMS_RECEIPT_TOKEN;
    if (!expected) throw new NotFoundException('receipts are not enabled (SMS_RECEIPT_TOKEN)');
    if (!sameSecret(String(req.params['token'] ?? ''), expected)) throw new ForbiddenException('not a receipt callback of this deployment');
    const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
    if (this.sources && !this.sources.check(peer, isIPv4(peer) ? 'ipv4' : 'ipv6')) throw new ForbiddenException('source address not allowed for receipts');
    return true;
  }
}
