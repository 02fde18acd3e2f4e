// A trámite filed over HTTP against the real binary: the catalog lists it, an anonymous
// filing gets a number and a tracking code, the code shows state and dates only, and a
// broken definition file stops the server with file, JSON path and reason.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, TEST_TIMEOUT_MS, freePort, request, run, startServer, tempDir } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const json = { 'Content-Type': 'application/json' };

test('the catalog lists the online trámites and the indicators', opts, async (t) => {
    const server = await startServer(t);
    const list = await request(server, '/api/v1/tramites?q=informacion%20publica');
    assert.equal(list.status, 200);
    assert.ok(list.json().tramites.some((x) => x.id === 'acceso-informacion-publica'));
    const one = await request(server, '/api/v1/tramites/acceso-informacion-publica');
    assert.equal(one.status, 200);
    assert.equal(one.json().resumen.plazo_dias_habiles, 10);
    const ind = await request(server, '/api/v1/indicadores');
    assert.equal(ind.status, 200);
    assert.equal(ind.json().metas.length, 2);
});

test('an anonymous filing is numbered, tracked by code, and replayed by its idempotency key', opts, async (t) => {
    const server = await startServer(t);
    const body = JSON.stringify({
        tramite: 'acceso-informacion-publica',
        respuestas: {
            informacion: 'Número de inspecciones realizadas en Quetzaltenango en 2025.',
            formato: 'electronico',
            identificarse: false,
        },
    });
    const headers = { ...json, 'Idempotency-Key': 'e2e-1' };
    const filed = await request(server, '/api/v1/expedientes', { method: 'POST', headers, body });
    assert.equal(filed.status, 201, filed.text);
    const c = filed.json();
    assert.match(c.numero, /^MTPS-\d{4}-\d{6}$/);
    assert.match(c.codigo_seguimiento, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(filed.headers.location, `/api/v1/expedientes/${c.numero}`);

    const again = await request(server, '/api/v1/expedientes', { method: 'POST', headers, body });
    assert.equal(again.json().numero, c.numero);

    const track = await request(server, `/api/v1/seguimiento/${c.codigo_seguimiento.toLowerCase()}`);
    assert.equal(track.status, 200);
    assert.equal(track.json().estado.nombre, 'Presentada');
    assert.ok(!track.text.includes('Quetzaltenango'), 'el seguimiento no muestra las respuestas');

    // Without a session, the case itself is as invisible as one that does not exist.
    const hidden = await request(server, `/api/v1/expedientes/${c.numero}`);
    assert.equal(hidden.status, 404);
});

test('a filing with errors gets every field message at once', opts, async (t) => {
    const server = await startServer(t);
    const res = await request(server, '/api/v1/expedientes', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ tramite: 'acceso-informacion-publica', respuestas: { identificarse: true } }),
    });
    assert.equal(res.status, 422);
    const fields = res.json().error.fields;
    assert.deepEqual(Object.keys(fields).sort(), ['formato', 'informacion', 'nombre']);
});

test('a broken definition stops the server and tramites check names file, path and reason', opts, async (t) => {
    const dir = await tempDir(t);
    const good = await fs.readFile(path.join(ROOT, 'tramites', 'denuncia-laboral.json'), 'utf8');
    const broken = JSON.parse(good);
    broken.flujo.transiciones[0].a = 'inexistente';
    broken.prioridad = 'alta';
    await fs.writeFile(path.join(dir, 'denuncia-laboral.json'), JSON.stringify(broken));

    const check = await run(['tramites', 'check', dir]);
    assert.equal(check.code, 2, check.stderr);
    assert.match(check.stderr, /denuncia-laboral\.json: \$\.flujo\.transiciones\[0\]\.a: no es un estado definido/);
    assert.match(check.stderr, /denuncia-laboral\.json: \$\.prioridad: debe ser uno de/);

    const port = await freePort();
    const data = path.join(dir, 'datos');
    const serve = await run(['serve', '--port', String(port), '--data-dir', data], {
        env: { VENTANILLA_CATALOG_DIR: dir },
    });
    assert.notEqual(serve.code, 0);
    assert.match(serve.stderr, /No se puede iniciar: definiciones de trámites/);
    assert.match(serve.stderr, /\$\.flujo\.transiciones\[0\]\.a/);
});
