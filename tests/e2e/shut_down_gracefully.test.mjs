// Graceful shutdown: SIGINT or SIGTERM stops the server promptly even while clients hold
// idle keep-alive connections, and the database is closed after the server has stopped.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { TEST_TIMEOUT_MS, parseResponse, startServer } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const kPromptMs = 5000;

/**
 * Opens a connection, optionally completes one keep-alive request on it, and leaves it
 * open. Resolves to {socket, closed} where `closed` resolves when the server closes it.
 */
function idleConnection(port, { request = true } = {}) {
    return new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let text = '';
        socket.setEncoding('utf8');
        socket.on('error', () => {}); // a reset at shutdown is as good as a close
        const closed = new Promise((done) => socket.on('close', done));
        socket.once('connect', () => {
            if (!request) {
                resolve({ socket, closed });
                return;
            }
            socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
        });
        socket.on('data', (chunk) => {
            text += chunk;
            const end = text.indexOf('\r\n\r\n');
            if (end < 0) return;
            const res = parseResponse(text);
            if (Buffer.byteLength(res.text) < Number(res.headers['content-length'])) return;
            if (res.status !== 200 || /close/i.test(res.headers.connection ?? '')) {
                reject(new Error(`se esperaba una conexión persistente: ${text}`));
                return;
            }
            resolve({ socket, closed });
        });
        socket.once('close', () =>
            reject(new Error(`el servidor cerró la conexión antes de tiempo: ${text}`)),
        );
    });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
    test(`${signal} with idle keep-alive connections exits 0 promptly and in order`, opts, async (t) => {
        const server = await startServer(t);
        const conns = [
            await idleConnection(server.port),
            await idleConnection(server.port),
            await idleConnection(server.port),
            await idleConnection(server.port, { request: false }),
        ];
        t.after(() => conns.forEach((c) => c.socket.destroy()));

        const { code, signal: killedBy, ms } = await server.stop(signal);
        assert.equal(killedBy, null, server.stderr);
        assert.equal(code, 0, server.stderr);
        assert.ok(ms < kPromptMs, `tardó ${ms} ms en detenerse`);
        await Promise.all(conns.map((c) => c.closed));

        const log = server.stderr;
        const stopped = log.indexOf('server stopped');
        const closed = log.indexOf('database closed');
        assert.ok(stopped >= 0, `falta "server stopped":\n${log}`);
        assert.ok(closed > stopped, `"database closed" debe seguir a "server stopped":\n${log}`);
        assert.doesNotMatch(log, /grace period over/);
    });
}
