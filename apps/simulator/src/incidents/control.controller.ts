import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { toIncidentView } from './incident-shape';
import { startIncidentSchema } from './incident.schema';
import { IncidentError, type IncidentErrorCode, type IncidentsService } from './incidents.service';

const STATUS: Record<IncidentErrorCode, number> = { gateway_not_found: 404, not_found: 404, no_target: 422, conflict: 409 };
const REASONS: Record<number, string> = {
  400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 500: 'Internal Server Error',
};
const MAX_BODY = 16 * 1024;
const INCIDENT_PATH = /^\/incidents\/([A-Za-z0-9-]{1,64})$/;

/**
 * The control API of a running simulator, local only (127.0.0.1 by default):
 * `POST /incidents` → 202 with the incident, `GET /incidents` → the incidents in force,
 * `DELETE /incidents/{id}` → 200, recovery starts now. Errors answer as the platform's REST API
 * does: `{"statusCode", "error", "message"}`.
 */
export class ControlController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly log: (line: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  listen(host: string, port: number): Promise<Server> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.log(`control API error: ${err.message}`);
        if (!res.headersSent) fail(res, 500, 'internal error');
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    try {
      if (path === '/incidents') {
        if (req.method === 'GET') return send(res, 200, this.incidents.list(this.clock()).map((i) => toIncidentView(i, this.clock())));
        if (req.method === 'POST') return await this.start(req, res);
        return fail(res, 405, 'use GET or POST on /incidents');
      }
      const match = INCIDENT_PATH.exec(path);
      if (match) {
        if (req.method !== 'DELETE') return fail(res, 405, 'use DELETE on /incidents/{id}');
        const incident = this.incidents.end(match[1] as string, this.clock());
        this.log(`incident ${incident.id} (${incident.kind} on ${incident.gateway}) ended early: recovering`);
        return send(res, 200, toIncidentView(incident, this.clock()));
      }
      return fail(res, 404, `no route ${req.method ?? ''} ${path}`);
    } catch (err) {
      if (err instanceof IncidentError) return fail(res, STATUS[err.code], err.message);
      if (err instanceof BodyError) return fail(res, err.status, err.message);
      throw err;
    }
  }

  private async start(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = startIncidentSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      return fail(res, 400, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
    }
    const now = this.clock();
    const incident = this.incidents.start(parsed.data, now);
    const view = toIncidentView(incident, now);
    const points = view.points.length > 0 ? ` (${view.points.join(', ')})` : '';
    this.log(`incident ${incident.id}: ${incident.kind} on ${incident.gateway}${points} until ${view.recoveryStartsAt}`);
    send(res, 202, view);
  }
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BodyError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400, 'body must be JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, message: string | string[]): void {
  send(res, status, { statusCode: status, error: REASONS[status] ?? 'Error', message });
}
