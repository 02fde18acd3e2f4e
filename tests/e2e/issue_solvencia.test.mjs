// The solvencia de faltas de trabajo resolves by itself: with no firm sanctions pending in
// the Registro de Faltas (a peer speaking its protocol) nor in the ministry's own table, the
// filing ends "Solvencia emitida" at once; with one pending, or with the registry down, it
// goes to the officials with the reason recorded.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startSanctionsRegistry } from './support/sanctions_registry.mjs';
import { TEST_TIMEOUT_MS, request, run, startServer, tempDir } from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const NIT = '576937-K';
const TOKEN = 'token-del-registro';

async function logIn(server) {
    const res = await request(server, '/api/v1/sesiones', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ usuario: 'empleador@demo.ventanilla.gt', contrasena: 'Demostracion-2026' }),
    });
    assert.equal(res.status, 201, res.text);
    const cookie = res.headers['set-cookie'].map((c) => c.split(';')[0]).join('; ');
    return { Cookie: cookie, 'X-CSRF-Token': res.json().csrf, 'X-Organizacion': NIT };
}

async function fileSolvencia(server, session, key) {
    const res = await request(server, '/api/v1/expedientes', {
        method: 'POST',
        headers: { ...session, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify({
            tramite: 'solvencia-faltas-trabajo',
            organizacion: NIT,
            respuestas: {
                nit: NIT,
                tipo_persona: 'juridica',
                nombre: 'Empresa Demostración, S.A.',
                calidad_solicitante: 'propietario',
                uso: 'contratacion_estado',
                correo: 'empleador@demo.ventanilla.gt',
                dpi_solicitante: { documento: 'a1b2c3d4e5f60718' },
                representacion_legal: { documento: 'a1b2c3d4e5f60719' },
                rtu: { documento: 'a1b2c3d4e5f60720' },
            },
        }),
    });
    assert.equal(res.status, 201, res.text);
    return res.json();
}

async function start(t, registry) {
    const dataDir = await tempDir(t);
    const env = { VENTANILLA_SANCTIONS_REGISTRY_URL: registry.url, VENTANILLA_SANCTIONS_REGISTRY_TOKEN: TOKEN };
    const server = await startServer(t, { dataDir, env, args: ['--demo'] });
    return { server, dataDir, env };
}

test('without firm sanctions the solvencia is issued at once by the system', opts, async (t) => {
    const registry = await startSanctionsRegistry(t, { token: TOKEN });
    registry.set(NIT, [{ expediente: 'IGT-7-2025', descripcion: 'Jornada', monto_centavos: 300000, firme_desde: '2025-02-03', estado: 'solventada' }]);
    const { server } = await start(t, registry);
    const c = await fileSolvencia(server, await logIn(server), 's-1');
    assert.equal(c.estado.id, 'emitida', JSON.stringify(c));
    assert.ok(c.cerrado, 'the case is closed');
    const step = c.historial.at(-1);
    assert.equal(step.actor, 'sistema');
    assert.equal(step.transicion, 'emitir_sin_sanciones');
    assert.match(step.comentario, /no tiene sanciones firmes pendientes/);
    assert.deepEqual(registry.requests.map((r) => [r.nit, r.auth]), [[NIT, `Bearer ${TOKEN}`]]);
    const track = await request(server, `/api/v1/seguimiento/${c.codigo_seguimiento}`);
    assert.equal(track.json().estado.nombre, 'Solvencia emitida');
});

test('a pending firm sanction sends the solvencia to the officials, with the sanction', opts, async (t) => {
    const registry = await startSanctionsRegistry(t, { token: TOKEN });
    registry.set(NIT, [{ expediente: 'IGT-101-2026', descripcion: 'Salario mínimo', monto_centavos: 1250000, firme_desde: '2026-03-14', estado: 'pendiente' }]);
    const { server } = await start(t, registry);
    const c = await fileSolvencia(server, await logIn(server), 's-2');
    assert.equal(c.estado.id, 'en_revision');
    const step = c.historial.at(-1);
    assert.equal(step.actor, 'sistema');
    assert.equal(step.transicion, 'enviar_a_revision');
    assert.match(step.comentario, /1 sanción\(es\) firme\(s\) pendiente\(s\)/);
    assert.equal(step.entradas.sanciones[0].expediente, 'IGT-101-2026');
});

test('with the registry down nothing is issued: the officials decide', opts, async (t) => {
    const registry = await startSanctionsRegistry(t, { token: TOKEN });
    registry.down = true;
    const { server } = await start(t, registry);
    const c = await fileSolvencia(server, await logIn(server), 's-3');
    assert.equal(c.estado.id, 'en_revision');
    assert.match(c.historial.at(-1).comentario, /No se pudo verificar «sin_sanciones_firmes»: .*503/);
});

test('a sanction the ministry records itself also blocks the automatic solvencia', opts, async (t) => {
    const registry = await startSanctionsRegistry(t, { token: TOKEN });
    const { server, dataDir, env } = await start(t, registry);
    const recorded = await run(
        ['--data-dir', dataDir, 'sanciones', 'registrar', '--nit', NIT, '--expediente', 'IGT-202-2026',
         '--descripcion', 'No pagar el bono 14', '--monto', '4500.00', '--firme-desde', '2026-06-01'],
        { env },
    );
    assert.equal(recorded.code, 0, recorded.stderr);
    const c = await fileSolvencia(server, await logIn(server), 's-4');
    assert.equal(c.estado.id, 'en_revision');
    assert.equal(c.historial.at(-1).entradas.sanciones[0].fuente, 'ministerio');
});
