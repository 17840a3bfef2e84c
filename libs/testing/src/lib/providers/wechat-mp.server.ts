import { randomBytes } from 'node:crypto';
import { VendorServer, type VendorReply, type VendorRequest } from './vendor-server';

/**
 * WeChat Official Account: access tokens from GET `/cgi-bin/token` or POST `/cgi-bin/stable_token`
 * (wrong appid/secret: 40013/40125), template messages on POST `/cgi-bin/message/template/send`
 * (bad or expired token: 40001; a repeated `client_msg_id` is sent once). `expireTokens()` makes
 * every issued token invalid, as a token refresh elsewhere would.
 */
export class WechatMpServer extends VendorServer {
  private readonly tokens = new Set<string>();
  tokenRequests = 0;

  constructor(
    readonly appId = 'wx-test-app',
    readonly appSecret = 'wechat-test-secret',
  ) {
    super();
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  protected handle(req: VendorRequest): VendorReply {
    if (req.path === '/cgi-bin/token' || req.path === '/cgi-bin/stable_token') {
      const input = req.path === '/cgi-bin/token' ? Object.fromEntries(req.query) : (JSON.parse(req.body.toString('utf8') || '{}') as Record<string, string>);
      this.tokenRequests++;
      if (input['grant_type'] !== 'client_credential') return { body: { errcode: 40002, errmsg: 'invalid grant_type' } };
      if (input['appid'] !== this.appId) {
        this.rejected++;
        return { body: { errcode: 40013, errmsg: 'invalid appid' } };
      }
      if (input['secret'] !== this.appSecret) {
        this.rejected++;
        return { body: { errcode: 40125, errmsg: 'invalid appsecret' } };
      }
      const token = randomBytes(24).toString('base64url');
      this.tokens.add(token);
      return { body: { access_token: token, expires_in: 7200 } };
    }
    if (req.path === '/cgi-bin/message/template/send' && req.method === 'POST') {
      if (!this.tokens.has(req.query.get('access_token') ?? '')) {
        this.rejected++;
        return { body: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
      }
      if (this.takeFailure()) return { body: { errcode: -1, errmsg: 'system error' } };
      const body = JSON.parse(req.body.toString('utf8')) as { touser?: string; template_id?: string; client_msg_id?: string; data?: Record<string, { value: string }> };
      if (!body.touser) return { body: { errcode: 40003, errmsg: 'invalid openid' } };
      if (!body.template_id) return { body: { errcode: 40037, errmsg: 'invalid template_id' } };
      const msgid = Math.floor(Math.random() * 2 ** 48);
      const first = this.record({ key: body.client_msg_id ?? String(msgid), to: body.touser, payload: { ...body, msgid } });
      return { body: { errcode: 0, errmsg: 'ok', msgid: first.payload['msgid'] } };
    }
    return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
  }
}
