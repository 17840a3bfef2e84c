import { createHash, createHmac, randomUUID } from 'node:crypto';
import { VendorServer, type VendorReply, type VendorRequest } from './vendor-server';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Tencent Cloud SMS `SendSms` (API 3.0, version 2021-01-11, JSON POST) with TC3-HMAC-SHA256
 * verified as Tencent documents it: canonical request (method, `/`, query, the signed
 * `content-type` and `host` headers, the payload hash), string to sign with the timestamp and the
 * credential scope `date/service/tc3_request`, and the key derived from `TC3` + SecretKey by date,
 * service and `tc3_request`. Errors answer HTTP 200 `{"Response":{"Error":{Code,Message},RequestId}}`
 * (`AuthFailure.SignatureFailure`, `AuthFailure.SecretIdNotFound`, `AuthFailure.SignatureExpire`).
 * The SDK names the service after the endpoint's first label, so a scope of `sms` or of that label passes.
 */
export class TencentSmsServer extends VendorServer {
  constructor(
    readonly secretId = 'AKID-test-id',
    readonly secretKey = 'tencent-test-secret',
  ) {
    super();
  }

  protected handle(req: VendorRequest): VendorReply {
    const error = (code: string, message: string): VendorReply => ({ body: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } } });
    const auth = this.verify(req);
    if (auth) {
      this.rejected++;
      return error(auth.code, auth.message);
    }
    if (req.headers['x-tc-action'] !== 'SendSms' || req.headers['x-tc-version'] !== '2021-01-11') return error('InvalidAction', 'The action does not exist.');
    if (this.takeFailure()) return error('InternalError.RequestTimeException', 'The server is busy; try again.');
    const body = JSON.parse(req.body.toString('utf8')) as { PhoneNumberSet?: string[]; SmsSdkAppId?: string; TemplateId?: string; TemplateParamSet?: string[]; SessionContext?: string; SignName?: string };
    if (!body.PhoneNumberSet?.length || !body.SmsSdkAppId || !body.TemplateId) return error('MissingParameter', 'PhoneNumberSet, SmsSdkAppId and TemplateId are required.');
    const statuses = body.PhoneNumberSet.map((phone) => {
      const serial = `${Date.now()}:${randomUUID().slice(0, 12)}`;
      const key = body.SessionContext ?? serial;
      const first = this.record({ key, to: phone, payload: { ...body, SerialNo: serial } });
      return { SerialNo: first.payload['SerialNo'], PhoneNumber: phone, Fee: 1, SessionContext: body.SessionContext ?? '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' };
    });
    return { body: { Response: { SendStatusSet: statuses, RequestId: randomUUID() } } };
  }

  private verify(req: VendorRequest): { code: string; message: string } | null {
    const header = String(req.headers['authorization'] ?? '');
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(header);
    if (!m) return { code: 'AuthFailure.InvalidAuthorization', message: 'Authorization is invalid.' };
    const [, id, date, service, signedList, signature] = m as unknown as [string, string, string, string, string, string];
    if (id !== this.secretId) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found.' };
    const host = String(req.headers['host'] ?? '');
    const hostname = host.replace(/:\d+$/, '');
    if (service !== 'sms' && service !== hostname.split('.')[0]) return { code: 'AuthFailure.InvalidAuthorization', message: `Credential scope service ${service} is not sms.` };
    const timestamp = Number(req.headers['x-tc-timestamp']);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return { code: 'AuthFailure.SignatureExpire', message: 'The signature is expired.' };
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return { code: 'AuthFailure.SignatureFailure', message: 'The credential date does not match X-TC-Timestamp.' };
    const signed = signedList.split(';');
    if (!signed.includes('content-type') || !signed.includes('host')) return { code: 'AuthFailure.SignatureFailure', message: 'content-type and host must be signed.' };
    const headers = signed.map((h) => `${h}:${h === 'host' ? hostname : String(req.headers[h] ?? '').trim()}\n`).join('');
    const canonical = `${req.method}\n/\n${req.query.toString()}\n${headers}\n${signedList}\n${sha256(req.body)}`;
    const scope = `${date}/${service}/tc3_request`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
    const key = hmac(hmac(hmac(`TC3${this.secretKey}`, date), service), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) return { code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated. Please check your signature is correct.' };
    return null;
  }
}
