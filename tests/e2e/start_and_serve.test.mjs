// Starting the server and serving the platform endpoints: health, readiness, metrics, the
// home page and request identifiers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, request, run, startServer } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };

test('/healthz answers 200 {status: "ok"} with the binary version', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json\b/);
    const body = res.json();
    assert.equal(body.status, 'ok');

    const version = await run(['version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^ventanilla ${body.version.replaceAll('.', '\\.')} `));
});

test('/readyz answers 200 with the sqlite database', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: 'sqlite' });
});

test('/metrics counts requests by route and reports the build', opts, async (t) => {
    const server = await startServer(t);
    assert.equal((await request(server, '/readyz')).status, 200);
    assert.equal((await request(server, '/no-existe')).status, 404);

    const res = await request(server, '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain\b/);
    assert.match(
        res.text,
        /^ventanilla_http_requests_total\{[^}]*route="\/readyz"[^}]*status="200"[^}]*\} 1$/m,
    );
    assert.match(
        res.text,
        /^ventanilla_http_requests_total\{[^}]*route="unmatched"[^}]*status="404"[^}]*\} 1$/m,
    );
    const { version } = (await request(server, '/healthz')).json();
    assert.match(res.text, new RegExp(`^ventanilla_build_info\\{[^}]*version="${version}"[^}]*\\} 1$`, 'm'));
});

test('/ is a Spanish (es-GT) HTML page', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html\b/);
    assert.match(res.text, /<html lang="es-GT">/);
    assert.match(res.text, /Ministerio de Trabajo y Previsión Social/);
});

test('HEAD answers with the headers of GET and no body', opts, async (t) => {
    const server = await startServer(t);
    const get = await request(server, '/healthz');
    const head = await request(server, '/healthz', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(get.body.length));
});

test('every response carries an X-Request-Id; a valid one sent by the client is echoed', opts, async (t) => {
    const server = await startServer(t);

    const generated = await request(server, '/healthz');
    assert.match(generated.headers['x-request-id'] ?? '', /^[A-Za-z0-9._-]{1,64}$/);
    const another = await request(server, '/healthz');
    assert.notEqual(another.headers['x-request-id'], generated.headers['x-request-id']);

    const echoed = await request(server, '/healthz', { headers: { 'X-Request-Id': 'e2e-solicitud-42' } });
    assert.equal(echoed.headers['x-request-id'], 'e2e-solicitud-42');
    const onError = await request(server, '/no-existe', { headers: { 'X-Request-Id': 'e2e-error-7' } });
    assert.equal(onError.status, 404);
    assert.equal(onError.headers['x-request-id'], 'e2e-error-7');

    // An id that could inject into logs is replaced, not echoed.
    const unsafe = await request(server, '/healthz', { headers: { 'X-Request-Id': 'a"b{c}' } });
    assert.notEqual(unsafe.headers['x-request-id'], 'a"b{c}');
    assert.match(unsafe.headers['x-request-id'] ?? '', /^[A-Za-z0-9._-]{1,64}$/);

    // The access log (standard output, flushed when the server stops) records each id.
    const { code } = await server.stop();
    assert.equal(code, 0, server.stderr);
    const lines = server.accessLog();
    const line = lines.find((l) => l.id === 'e2e-solicitud-42');
    assert.ok(line, `sin la línea de acceso de e2e-solicitud-42:\n${server.stdout}`);
    assert.equal(line.route, '/healthz');
    assert.equal(line.status, 200);
    assert.equal(line.method, 'GET');
    assert.ok(lines.some((l) => l.id === 'e2e-error-7' && l.status === 404));
});
