// REST under /api/v1 with the bearer token; errors become ApiError with the API's own message.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the API's machine-readable `code` when it sent one (e.g. `same_confirmer`) */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | undefined>;

export class HttpClient {
  constructor(
    private readonly token: () => string | null,
    /** Called on 401: the token expired or was refused. */
    private readonly onUnauthorized: () => void,
    private readonly base = '/api/v1',
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }

  /** multipart/form-data (files): the browser sets the boundary. */
  postForm<T>(path: string, form: FormData): Promise<T> {
    return this.request<T>('POST', path, form);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** A file (an export) as a Blob. */
  async blob(path: string, query?: Query): Promise<Blob> {
    return (await this.download(path, query)).blob;
  }

  /** A file (the half-year report): its bytes, the server's file name and the response headers. */
  async download(path: string, query?: Query): Promise<{ blob: Blob; filename: string; headers: Headers }> {
    const token = this.token();
    let res: Response;
    try {
      res = await fetch(this.base + withQuery(path, query), { headers: { ...(token && { authorization: `Bearer ${token}` }) } });
    } catch {
      throw new ApiError(0, '无法连接服务器，请检查网络');
    }
    if (res.status === 401 && token) this.onUnauthorized();
    if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, await res.text()));
    const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
    return { blob: await res.blob(), filename, headers: res.headers };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = this.token();
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { ...(body !== undefined && !isForm(body) && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : isForm(body) ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, '无法连接服务器，请检查网络');
    }
    const text = await res.text();
    if (res.status === 401 && token) this.onUnauthorized();
    if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, text), errorCode(text));
    return (text ? JSON.parse(text) : null) as T;
  }
}

const isForm = (body: unknown): body is FormData => typeof FormData !== 'undefined' && body instanceof FormData;

/** The `code` of the API's error bodies (hazards, reports), or null. */
export function errorCode(text: string): string | null {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The `message` of the API's error bodies (a string or a list), with a Chinese fallback. */
export function errorMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (Array.isArray(body.message)) return body.message.map(String).join('；');
    if (typeof body.message === 'string' && body.message) return body.message;
  } catch {
    // not JSON: fall through
  }
  const known: Record<number, string> = { 401: '登录已失效，请重新登录', 403: '无权执行此操作', 404: '未找到（或不在您的管辖范围内）', 409: '当前状态不允许此操作', 429: '尝试过于频繁，请稍后再试' };
  return known[status] ?? `服务器错误（${status}）`;
}
