import { UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { ObservabilityController } from './observability.controller';
import { brokerCheck, checkPostgres, type HealthReport, type ObservabilityProbe } from './observability.types';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** A request as Express hands it: the TCP peer and the headers. */
const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as Request;

function response() {
  const res = { statusCode: 200, headers: {} as Record<string, string> };
  const sut = {
    status: (code: number) => ((res.statusCode = code), sut),
    setHeader: (name: string, value: string) => ((res.headers[name] = value), sut),
  };
  return { res, http: sut as unknown as Response };
}

function probe(status: HealthReport['status']) {
  const details = jest.fn(() => ({ checks: { postgres: { status: 'up' } } }));
  const metrics = jest.fn(() => Promise.resolve('# HELP demo_total demo\n'));
  const sut: ObservabilityProbe = { health: () => Promise.resolve({ status, details }), metrics };
  return { sut, details, metrics };
}

describe(ObservabilityController.name, () => {
  describe('GET /health', () => {
    it('anyone gets the status only; the details are not even built for them (docs/contracts.md §4)', async () => {
      const p = probe('ok');
      const { res, http } = response();
      const sut = new ObservabilityController(p.sut, TOKEN);
      await expect(sut.health(request('203.0.113.9'), http)).resolves.toEqual({ status: 'ok' });
      expect(res.statusCode).toBe(200);
      expect(p.details).not.toHaveBeenCalled();
    });

    it('the internal caller (METRICS_TOKEN bearer) gets the details after the status', async () => {
      const { res, http } = response();
      const sut = new ObservabilityController(probe('degraded').sut, TOKEN);
      const body = await sut.health(request('203.0.113.9', { authorization: `Bearer ${TOKEN}` }), http);
      expect(body).toEqual({ status: 'degraded', checks: { postgres: { status: 'up' } } });
      expect(Object.keys(body)[0]).toBe('status');
      expect(res.statusCode).toBe(200);
    });

    it('without METRICS_TOKEN this host is internal, unless the request came through a proxy', async () => {
      const sut = new ObservabilityController(probe('ok').sut, undefined);
      await expect(sut.health(request('127.0.0.1'), response().http)).resolves.toHaveProperty('checks');
      await expect(sut.health(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), response().http)).resolves.toEqual({ status: 'ok' });
    });

    it('error answers 503', async () => {
      const { res, http } = response();
      await new ObservabilityController(probe('error').sut, TOKEN).health(request('203.0.113.9'), http);
      expect(res.statusCode).toBe(503);
    });
  });

  describe('GET /metrics', () => {
    it('refuses outsiders with 401 and WWW-Authenticate: Bearer, without asking the probe', () => {
      const p = probe('ok');
      const { res, http } = response();
      const sut = new ObservabilityController(p.sut, TOKEN);
      expect(() => sut.metricsText(request('127.0.0.1'), http)).toThrow(UnauthorizedException);
      expect(() => sut.metricsText(request('127.0.0.1'), http)).toThrow(/METRICS_TOKEN bearer token/);
      expect(res.headers['WWW-Authenticate']).toBe('Bearer realm="metrics"');
      expect(p.metrics).not.toHaveBeenCalled();
    });

    it('serves the probe\'s Prometheus text to internal callers', async () => {
      const sut = new ObservabilityController(probe('ok').sut, TOKEN);
      await expect(sut.metricsText(request('198.51.100.1', { authorization: `Bearer ${TOKEN}` }), response().http)).resolves.toBe('# HELP demo_total demo\n');
    });
  });
});

describe(checkPostgres.name, () => {
  it('up when SELECT 1 answers, down with the error text when not', async () => {
    const answering = { query: () => Promise.resolve([{ '?column?': 1 }]) } as unknown as DataSource;
    const refusing = { query: () => Promise.reject(new Error('connection refused')) } as unknown as DataSource;
    await expect(checkPostgres(answering)).resolves.toEqual({ status: 'up' });
    await expect(checkPostgres(refusing)).resolves.toEqual({ status: 'down', detail: 'connection refused' });
  });
});

describe(brokerCheck.name, () => {
  it('down names the missing session', () => {
    expect(brokerCheck(true)).toEqual({ status: 'up' });
    expect(brokerCheck(false)).toEqual({ status: 'down', detail: 'no session with the broker' });
  });
});
