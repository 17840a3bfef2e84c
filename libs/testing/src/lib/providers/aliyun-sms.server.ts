import { createHash, createHmac, randomUUID } from 'node:crypto';
import { VendorServer, type VendorReply, type VendorRequest } from './vendor-server';

/** Aliyun's percent-encoding (RFC 3986: encodeURIComponent plus !'()*). */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface AliyunReceipt {
  phone_number: string;
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  sms_size: string;
  biz_id: string;
  out_id: string;
}

/**
 * Aliyun SMS `SendSms` (RPC API 2017-05-25) as `@alicloud/dysmsapi20170525` 4.6.0 calls it: through
 * `@alicloud/openapi-core`'s `doRequest`, which signs every request with ACS3-HMAC-SHA256 (the
 * `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` header over the
 * canonical request of method, path, sorted query, the `host`/`content-type`/`x-acs-*` headers and
 * `x-acs-content-sha256`). Verified here the same way; a mismatch answers HTTP 400
 * `SignatureDoesNotMatch`, an unknown key `InvalidAccessKeyId.NotFound`, a reused nonce
 * `SignatureNonceUsed`. `QuerySendDetails` lists what was sent to a number on a date. Receipts are pushed like SmsReport's HTTP batch push (`pushReceipts`): an
 * unsigned JSON POST to the callback URL configured at Aliyun, which is all that authenticates it
 * (alerting's carries `SMS_RECEIPT_TOKEN` as its last path segment).
 */
export class AliyunSmsServer extends VendorServer {
  private readonly nonces = new Set<string>();

  constructor(
    readonly accessKeyId = 'LTAI-test-key',
    readonly accessKeySecret = 'aliyun-test-secret',
  ) {
    super();
  }

  /** POSTs SmsReport receipts (one batch) for the delivered messages to the callback `url`, as Aliyun does (no signature); answers its status. */
  async pushReceipts(url: string, keys?: readonly string[]): Promise<number> {
    const now = new Date().toISOString().replace('T', ' ').slice(0, 19);
    const batch: AliyunReceipt[] = this.deliveries
      .filter((d) => !keys || keys.includes(d.key))
      .map((d) => ({
        phone_number: d.to,
        send_time: now,
        report_time: now,
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: String(d.payload['BizId']),
        out_id: d.key,
      }));
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    return res.status;
  }

  protected handle(req: VendorRequest): VendorReply {
    const error = (status: number, code: string, message: string): VendorReply => ({
      status,
      body: { RequestId: this.requestId(), HostId: 'dysmsapi.aliyuncs.com', Code: code, Message: message, Recommend: 'https://api.aliyun.com/troubleshoot' },
    });
    const auth = this.verify(req);
    if (auth) {
      this.rejected++;
      return error(auth.status, auth.code, auth.message);
    }
    const action = req.headers['x-acs-action'];
    if ((action !== 'SendSms' && action !== 'QuerySendDetails') || req.headers['x-acs-version'] !== '2017-05-25') return error(404, 'InvalidAction.NotFound', 'Specified api is not found');
    if (this.takeFailure()) return error(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
    const q = Object.fromEntries(req.query);
    if (action === 'QuerySendDetails') return this.querySendDetails(q);
    for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode']) {
      if (!q[name]) return { body: { RequestId: this.requestId(), Code: 'isv.INVALID_PARAMETERS', Message: `${name} is mandatory for this action.` } };
    }
    const bizId = `${Date.now()}^${randomUUID().slice(0, 8)}`;
    const key = q['OutId'] ?? bizId;
    const first = this.record({ key, to: String(q['PhoneNumbers']), payload: { ...q, BizId: bizId } });
    return { body: { RequestId: this.requestId(), Code: 'OK', Message: 'OK', BizId: first.payload['BizId'] } };
  }

  /**
   * `QuerySendDetails`: the messages sent to one number on one date (yyyyMMdd, China time), newest
   * first, a page at a time (PageSize 1–50); every request counts, repeats of an `OutId` included.
   */
  private querySendDetails(q: Record<string, string>): VendorReply {
    const invalid = (message: string): VendorReply => ({ body: { RequestId: this.requestId(), Code: 'isv.INVALID_PARAMETERS', Message: message } });
    for (const name of ['PhoneNumber', 'SendDate', 'PageSize', 'CurrentPage']) if (!q[name]) return invalid(`${name} is mandatory for this action.`);
    const size = Number(q['PageSize']);
    const page = Number(q['CurrentPage']);
    if (!Number.isInteger(size) || size < 1 || size > 50) return invalid('PageSize must be 1 to 50.');
    if (!Number.isInteger(page) || page < 1) return invalid('CurrentPage must be a positive integer.');
    if (!/^\d{8}$/.test(q['SendDate'] ?? '')) return invalid('SendDate must be yyyyMMdd.');
    const china = (at: number) => new Date(at + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    const sent = this.accepted
      .filter((d) => d.to === q['PhoneNumber'] && china(d.at).slice(0, 10).replace(/-/g, '') === q['SendDate'] && (!q['BizId'] || d.payload['BizId'] === q['BizId']))
      .reverse();
    const dtos = sent.slice((page - 1) * size, page * size).map((d) => ({
      PhoneNum: d.to,
      SendStatus: 3,
      ErrCode: 'DELIVERED',
      TemplateCode: String(d.payload['TemplateCode'] ?? ''),
      Content: `【${String(d.payload['SignName'] ?? '')}】${String(d.payload['TemplateParam'] ?? '')}`,
      SendDate: china(d.at),
      ReceiveDate: china(d.at),
      OutId: d.payload['OutId'] ?? '',
    }));
    return { body: { RequestId: this.requestId(), Code: 'OK', Message: 'OK', TotalCount: String(sent.length), SmsSendDetailDTOs: { SmsSendDetailDTO: dtos } } };
  }

  private verify(req: VendorRequest): { status: number; code: string; message: string } | null {
    const header = String(req.headers['authorization'] ?? '');
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(header);
    if (!m) return { status: 400, code: 'IncompleteSignature', message: 'The request signature does not conform to Aliyun standards.' };
    const [, keyId, signedList, signature] = m as unknown as [string, string, string, string];
    if (keyId !== this.accessKeyId) return { status: 404, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' };
    const payloadHash = String(req.headers['x-acs-content-sha256'] ?? '');
    if (payloadHash !== sha256(req.body)) return { status: 400, code: 'SignatureDoesNotMatch', message: 'The payload hash does not match x-acs-content-sha256.' };
    const signed = signedList.split(';');
    if (!signed.includes('host') || !signed.includes('x-acs-date') || !signed.includes('x-acs-signature-nonce')) {
      return { status: 400, code: 'IncompleteSignature', message: 'host, x-acs-date and x-acs-signature-nonce must be signed.' };
    }
    const date = Date.parse(String(req.headers['x-acs-date'] ?? ''));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000) return { status: 400, code: 'InvalidTimeStamp.Expired', message: 'Specified time stamp or date value is expired.' };
    const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
    const query = [...req.query.keys()]
      .sort()
      .map((k) => `${k}=${encode(req.query.get(k) ?? '')}`)
      .join('&');
    const canonical = `${req.method}\n${req.path}\n${query}\n${headers}\n${signed.join(';')}\n${payloadHash}`;
    const toSign = `ACS3-HMAC-SHA256\n${sha256(canonical)}`;
    const expected = createHmac('sha256', this.accessKeySecret).update(toSign).digest('hex');
    if (expected !== signature) return { status: 400, code: 'SignatureDoesNotMatch', message: `Specified signature is not matched with our calculation. server string to sign is:${toSign}` };
    const nonce = String(req.headers['x-acs-signature-nonce']);
    if (this.nonces.has(nonce)) return { status: 400, code: 'SignatureNonceUsed', message: 'Specified signature nonce was used already.' };
    this.nonces.add(nonce);
    return null;
  }
}
