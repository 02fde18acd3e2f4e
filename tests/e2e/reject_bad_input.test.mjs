// Bad input over the wire: every malformed, oversized or slow request gets a bounded,
// well-formed answer (or a disconnect), and the server keeps serving everyone else.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import {
    TEST_TIMEOUT_MS,
    assertError,
    eventually,
    rawExchange,
    request,
    startServer,
} from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };

test('an unknown route answers 404 not-found', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/no-existe/en-absoluto?x=1');
    assertError(assert, res, {
        status: 404,
        code: 'not-found',
        message: /^No existe la ruta \/no-existe\/en-absoluto\.$/,
    });
});

test('a known route with the wrong method answers 405 with Allow', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/healthz', { method: 'DELETE' });
    assertError(assert, res, {
        status: 405,
        code: 'method-not-allowed',
        message: /^El método DELETE no se admite en esta ruta\.$/,
    });
    const allowed = res.headers.allow.split(',').map((m) => m.trim());
    assert.ok(allowed.includes('GET'), `Allow: ${res.headers.allow}`);
});

test('a malformed request line answers 400 malformed-request and closes', opts, async (t) => {
    const server = await startServer(t);
    for (const line of ['ESTO NO ES HTTP\r\n\r\n', 'GET /healthz HTTP/9.1\r\nHost: x\r\n\r\n']) {
        const { response } = await rawExchange(server.port, line);
        assert.ok(response, `sin respuesta a ${JSON.stringify(line)}`);
        assertError(assert, response, { status: 400, code: 'malformed-request', message: /mal formada/ });
        assert.equal(response.headers.connection, 'close');
    }
    assert.equal((await request(server, '/healthz')).status, 200);
});

test('headers larger than server.max_header_bytes answer 431', opts, async (t) => {
    const server = await startServer(t, { env: { VENTANILLA_SERVER_MAX_HEADER_BYTES: '1024' } });

    const small = await request(server, '/healthz', { headers: { 'X-Relleno': 'a'.repeat(500) } });
    assert.equal(small.status, 200);

    const big = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Relleno: ${'a'.repeat(2048)}\r\n\r\n`;
    const { response } = await rawExchange(server.port, big);
    assert.ok(response, 'sin respuesta a encabezados demasiado grandes');
    assertError(assert, response, {
        status: 431,
        code: 'headers-too-large',
        message: /superan el máximo de 1024 bytes/,
    });
    assert.equal((await request(server, '/healthz')).status, 200);
});

test('a body larger than server.max_body_bytes answers 413 before it is sent', opts, async (t) => {
    const server = await startServer(t, { env: { VENTANILLA_SERVER_MAX_BODY_BYTES: '1024' } });
    // Only the head is sent: the declared length alone must be refused.
    const head =
        'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n';
    const { response } = await rawExchange(server.port, head);
    assert.ok(response, 'sin respuesta a un cuerpo demasiado grande');
    assertError(assert, response, {
        status: 413,
        code: 'body-too-large',
        message: /supera el máximo de 1024 bytes/,
    });
});

test(
    'a slow-loris client is cut off after server.read_timeout_ms while others are served',
    opts,
    async (t) => {
        const timeoutMs = 1000;
        const server = await startServer(t, {
            env: { VENTANILLA_SERVER_READ_TIMEOUT_MS: String(timeoutMs) },
        });

        // Connects and sends the request head a little at a time, never finishing it.
        const slow = net.connect(server.port, '127.0.0.1');
        t.after(() => slow.destroy());
        let received = '';
        let closedAt = 0;
        slow.setEncoding('utf8');
        slow.on('data', (chunk) => {
            received += chunk;
        });
        slow.on('error', () => {}); // a write racing the server's close
        const closed = new Promise((resolve) => slow.on('close', () => resolve((closedAt = Date.now()))));
        await new Promise((resolve) => slow.once('connect', resolve));
        const connectedAt = Date.now();
        slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
        const drip = setInterval(() => {
            if (!slow.destroyed) slow.write('X-Gota: 1\r\n');
        }, 100);
        t.after(() => clearInterval(drip));

        // Another client is served while the slow one holds its connection.
        const other = await request(server, '/healthz');
        assert.equal(other.status, 200);
        assert.equal(closedAt, 0, 'el cliente lento se desconectó antes de atender al otro');

        await closed;
        clearInterval(drip);
        assert.equal(received, '', 'el servidor no debe responder a una solicitud incompleta');
        // Trickling bytes must not extend the deadline; the lower bound only proves the
        // configured timeout (not some other error) ended the connection.
        assert.ok(closedAt - connectedAt >= timeoutMs - 100, `cortado a los ${closedAt - connectedAt} ms`);
        await eventually(() => server.stderr.includes('slow client'), 'el registro del cliente lento');

        assert.equal((await request(server, '/healthz')).status, 200);
        assert.equal((await request(server, '/readyz')).status, 200);
    },
);

test(
    'the access log records the size of the answer to an unparseable request',
    {
        ...opts,
    },
    async (t) => {
        const server = await startServer(t);
        const { response } = await rawExchange(server.port, 'ESTO NO ES HTTP\r\n\r\n');
        assert.equal(response.status, 400);
        assert.equal((await server.stop()).code, 0, server.stderr);
        const line = server.accessLog().find((l) => l.status === 400);
        assert.ok(line, server.stdout);
        assert.equal(line.bytes, Number(response.headers['content-length']));
    },
);
