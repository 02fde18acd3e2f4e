// A Registro de Faltas de Trabajo for the end-to-end tests: a real HTTP server on
// 127.0.0.1 that speaks the registry protocol the binary uses (src/sanctions/include/vt/
// sanctions/sanctions.hpp): GET /sanciones?nit=<NIT> with a bearer token, answering
// {"nit", "sanciones": [{"expediente", "descripcion", "monto_centavos", "firme_desde",
// "estado"}]} from a table the test fills. `down` makes it answer 503.
import http from 'node:http';

import { defer } from './ventanilla.mjs';

/** Starts the registry for test `t`; stopped when the test ends. */
export async function startSanctionsRegistry(t, { token = '' } = {}) {
    const table = new Map();
    const registry = { url: '', requests: [], down: false, set: (nit, list) => table.set(nit, list) };
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, 'http://registro');
        registry.requests.push({ path: url.pathname, nit: url.searchParams.get('nit'), auth: req.headers.authorization });
        const send = (status, body) => {
            res.writeHead(status, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(body));
        };
        if (req.method !== 'GET' || url.pathname !== '/sanciones') return send(404, { error: 'no existe' });
        if (token && req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'no autorizado' });
        if (registry.down) return send(503, { error: 'mantenimiento' });
        const nit = url.searchParams.get('nit') ?? '';
        send(200, { nit, sanciones: table.get(nit) ?? [] });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry.url = `http://127.0.0.1:${server.address().port}`;
    defer(t, () => new Promise((resolve) => server.close(resolve)));
    return registry;
}
