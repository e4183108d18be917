import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.ts';
import { buildApp } from './app.ts';
import type { DatabaseHandle } from './db/open.ts';

let h: DatabaseHandle;
let app: FastifyInstance;
let webDist: string;

beforeAll(async () => {
  webDist = mkdtempSync(join(tmpdir(), 'trellis-web-'));
  mkdirSync(join(webDist, 'assets'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Trellis</title><div id="root"></div>');
  writeFileSync(join(webDist, 'assets', 'app-1.js'), 'console.log(1)');
  h = await testDatabase();
  app = await buildApp({ database: h, webDist });
});
afterAll(async () => {
  await app.close();
  await h.close();
  rmSync(webDist, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves the built files, and the app page for a deep link so a shared URL opens', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    const deep = await app.inject({ method: 'GET', url: '/schools/123?tab=networks' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    expect(deep.body).toContain('<div id="root">');
  });

  it('answers a missing file or API path with a 404 problem, not the app page', async () => {
    for (const url of ['/assets/app-0-old-build.js', '/favicon.png', '/api/v1/nothing-here']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/application\/problem\+json/);
      expect(res.json(), url).toMatchObject({ status: 404, code: 'TRELLIS_NOT_FOUND' });
    }
  });
});
