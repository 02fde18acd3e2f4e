// A citizen's account end to end, with real mail: the binary delivers through SMTP to a
// sink run by this test. The citizen registers, confirms the address with the mailed link,
// logs in, files a trámite with the session's CSRF token and finds it among their cases;
// another citizen cannot see it; a password reset link arrives and works once only.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
    TEST_TIMEOUT_MS,
    assertError,
    mailedToken,
    request,
    smtpSink,
    startServer,
    validCui,
} from './support/ventanilla.mjs';

const opts = { timeout: TEST_TIMEOUT_MS };
const PASSWORD = 'Caracol-azul-17';
const NEW_PASSWORD = 'Jaguar-verde-2026';
const ANSWER = 'Informe de inspecciones del ingenio La Esperanza en Escuintla, 2025.';

const jsonHeaders = { 'Content-Type': 'application/json' };

function post(server, target, body, headers = {}) {
    return request(server, target, {
        method: 'POST',
        headers: { ...jsonHeaders, ...headers },
        body: JSON.stringify(body),
    });
}

/** Logs in; resolves to {cookie, csrf} for the requests of that session. */
async function logIn(server, usuario, contrasena) {
    const res = await post(server, '/api/v1/sesiones', { usuario, contrasena });
    assert.equal(res.status, 201, res.text);
    const cookie = (res.headers['set-cookie'] ?? [])
        .map((c) => c.split(';')[0])
        .find((c) => c.startsWith('vt_sesion='));
    assert.ok(cookie, 'el inicio de sesión no dejó la cookie vt_sesion');
    return { cookie, csrf: res.json().csrf };
}

/** Registers a citizen and confirms the address with the mailed link; returns nothing. */
async function registerAndVerify(server, sink, n, correo) {
    const reg = await post(server, '/api/v1/cuentas', {
        cui: validCui(n),
        nombre: `Persona ${n}`,
        correo,
        contrasena: PASSWORD,
    });
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.json().correo_verificado, false);

    // Until the address is confirmed, the right password does not open a session.
    assertError(assert, await post(server, '/api/v1/sesiones', { usuario: correo, contrasena: PASSWORD }), {
        status: 403,
        code: 'email-not-verified',
        message: /correo/i,
    });

    const token = await mailedToken(sink, correo, '/cuenta/verificar');
    const verified = await post(server, '/api/v1/cuentas/verificacion', { token });
    assert.equal(verified.status, 200, verified.text);
    assert.equal(verified.json().correo_verificado, true);
    assertError(assert, await post(server, '/api/v1/cuentas/verificacion', { token }), {
        status: 422,
        code: 'token-invalid',
        message: /enlace/,
    });
}

test('a citizen registers, verifies by mail, files a trámite, and resets the password once', opts, async (t) => {
    const sink = await smtpSink(t);
    const server = await startServer(t, { env: sink.env });

    await registerAndVerify(server, sink, 1, 'ana@correo.gt');
    const ana = await logIn(server, 'ana@correo.gt', PASSWORD);
    const session = { Cookie: ana.cookie, 'X-CSRF-Token': ana.csrf };
    const me = await request(server, '/api/v1/cuentas/yo', { headers: { Cookie: ana.cookie } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json().cui, validCui(1));
    assert.equal(me.json().correo_verificado, true);

    // Filing with the session needs its CSRF token.
    const filing = {
        tramite: 'acceso-informacion-publica',
        respuestas: { informacion: ANSWER, formato: 'electronico', identificarse: false },
    };
    assertError(assert, await post(server, '/api/v1/expedientes', filing, { Cookie: ana.cookie }), {
        status: 403,
        code: 'csrf-invalid',
        message: /código de seguridad/,
    });
    const filed = await post(server, '/api/v1/expedientes', filing, session);
    assert.equal(filed.status, 201, filed.text);
    const { numero } = filed.json();

    const mine = await request(server, '/api/v1/expedientes', { headers: { Cookie: ana.cookie } });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(
        mine.json().expedientes.map((e) => e.numero),
        [numero],
    );
    const own = await request(server, `/api/v1/expedientes/${numero}`, { headers: { Cookie: ana.cookie } });
    assert.equal(own.status, 200, own.text);
    assert.equal(own.json().respuestas.informacion, ANSWER);

    // Another citizen: the case is as invisible as one that does not exist.
    await registerAndVerify(server, sink, 2, 'beto@correo.gt');
    const beto = await logIn(server, 'beto@correo.gt', PASSWORD);
    const asBeto = { headers: { Cookie: beto.cookie } };
    const hidden = await request(server, `/api/v1/expedientes/${numero}`, asBeto);
    const missing = await request(server, '/api/v1/expedientes/MTPS-2026-999999', asBeto);
    assertError(assert, hidden, { status: 404, code: 'not-found', message: /No existe el expediente/ });
    assert.equal(hidden.text.replace(numero, 'N'), missing.text.replace('MTPS-2026-999999', 'N'));
    assert.ok(!hidden.text.includes('Esperanza'));
    const theirs = await request(server, '/api/v1/expedientes', asBeto);
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.json().expedientes, []);

    // A password reset link arrives, works once, and ends the sessions opened before it.
    const asked = await post(server, '/api/v1/cuentas/restablecimiento', { correo: 'ana@correo.gt' });
    assert.equal(asked.status, 202, asked.text);
    const reset = await mailedToken(sink, 'ana@correo.gt', '/cuenta/restablecer');
    const changed = await post(server, '/api/v1/cuentas/restablecimiento/confirmacion', {
        token: reset,
        contrasena: NEW_PASSWORD,
    });
    assert.equal(changed.status, 200, changed.text);
    assertError(
        assert,
        await post(server, '/api/v1/cuentas/restablecimiento/confirmacion', {
            token: reset,
            contrasena: 'Otra-clave-larga-99',
        }),
        { status: 422, code: 'token-invalid', message: /ya se usó/ },
    );
    const stale = await request(server, '/api/v1/cuentas/yo', { headers: { Cookie: ana.cookie } });
    assert.equal(stale.status, 401, stale.text);
    const oldPassword = { usuario: 'ana@correo.gt', contrasena: PASSWORD };
    assertError(assert, await post(server, '/api/v1/sesiones', oldPassword), {
        status: 401,
        code: 'login-failed',
        message: /contraseña/,
    });
    const again = await logIn(server, 'ana@correo.gt', NEW_PASSWORD);
    const still = await request(server, `/api/v1/expedientes/${numero}`, {
        headers: { Cookie: again.cookie },
    });
    assert.equal(still.status, 200, still.text);

    // Every message went to the address it was for, in Spanish.
    assert.deepEqual(
        sink.messages.map((m) => m.to.join(',')),
        ['ana@correo.gt', 'beto@correo.gt', 'ana@correo.gt'],
    );
    assert.ok(sink.messages.every((m) => m.text.includes('Hola, Persona')));
});
