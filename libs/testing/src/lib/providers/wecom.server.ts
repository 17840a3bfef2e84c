import { VendorServer, type VendorReply, type VendorRequest } from './vendor-server';

/**
 * WeCom group robot webhook: POST `/cgi-bin/webhook/send?key=KEY` with `{msgtype, markdown|text}`.
 * An unknown key answers errcode 93000, a 21st message within a minute for one robot 45009,
 * content over 4096 bytes 40058 (as WeCom documents them).
 */
export class WecomServer extends VendorServer {
  private readonly sentAt = new Map<string, number[]>();
  /** Markdown contents received per key, in order. */
  readonly messages: { key: string; content: string }[] = [];

  constructor(readonly keys: readonly string[] = ['wecom-robot-key']) {
    super();
  }

  protected handle(req: VendorRequest): VendorReply {
    if (req.path !== '/cgi-bin/webhook/send' || req.method !== 'POST') return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    const key = req.query.get('key') ?? '';
    if (!this.keys.includes(key)) {
      this.rejected++;
      return { body: { errcode: 93000, errmsg: 'invalid webhook url, hint: [x], from ip: 127.0.0.1' } };
    }
    if (this.takeFailure()) return { body: { errcode: -1, errmsg: 'system busy' } };
    const now = Date.now();
    const recent = (this.sentAt.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= 20) return { body: { errcode: 45009, errmsg: 'api freq out of limit' } };
    recent.push(now);
    this.sentAt.set(key, recent);
    const body = JSON.parse(req.body.toString('utf8')) as { msgtype?: string; markdown?: { content?: string }; text?: { content?: string } };
    const content = body.msgtype === 'markdown' ? body.markdown?.content : body.text?.content;
    if (!content) return { body: { errcode: 40008, errmsg: 'invalid message type' } };
    if (Buffer.byteLength(content) > 4096) return { body: { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' } };
    this.messages.push({ key, content });
    this.record({ key: `${key}#${this.messages.length}`, to: key, payload: { content } });
    return { body: { errcode: 0, errmsg: 'ok' } };
  }
}
