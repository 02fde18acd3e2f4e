// Every page template a person can reach, each in the states worth looking at. The
// accessibility, weight and screenshot tests walk this list; adding a page is one line.
//
// An entry is {name, path, as?, act?, status?, citizen?}:
//   name     file name of its screenshots, and the subtest's name
//   path     where to go: a path, or (site) => path (or a promise of one)
//   as       a key of DEMO: visit logged in as that demo account
//            (default: anonymous)
//   act      async (page, site) => response: what to do on the page after it loads (fill,
//            submit); the page it leaves is the one checked. Returns the last document
//            response (see submit()).
//   status   the expected HTTP status of the page checked (default 200)
//   citizen  false for staff pages, which are not held to the 30 KB budget (default true)
import { mailedToken, request, smtpSink, startServer, validCui } from '../e2e/support/ventanilla.mjs';
import { logIn, submit } from './support/browser.mjs';

/** The demo accounts (src/identity/demo.cpp), loaded by `serve --demo`. */
export const DEMO_PASSWORD = 'Demostracion-2026';
export const DEMO = {
    ciudadano: 'ciudadana@demo.ventanilla.gt',
    empleador: 'empleador@demo.ventanilla.gt',
    funcionario: 'jefe.igt@demo.ventanilla.gt',
    uip: 'uip@demo.ventanilla.gt',
    admin: 'admin@demo.ventanilla.gt',
};

async function fill(page, values) {
    for (const [field, value] of Object.entries(values)) await page.fill(`#f-${field}`, value);
}

/** Clicks the main form's button whose accessible name is `name`; see submit(). */
function press(page, name) {
    return submit(page, page.locator('main form').getByRole('button', { name, exact: true }));
}

/** Answers the first page of the public-information request; `identify` picks Sí or No. */
async function fillInformationRequest(page, identify) {
    await page.getByLabel('¿Qué información necesita?').fill(INFORMATION);
    await page.getByLabel('Por medio electrónico', { exact: false }).check();
    await page.getByRole('group', { name: '¿Desea identificarse?' }).getByLabel(identify ? 'Sí' : 'No').check();
}

/** Answers the first page of the public-information request and goes on. */
async function informationRequest(page, identify) {
    await fillInformationRequest(page, identify);
    return press(page, 'Continuar');
}

const INFORMATION = 'Número de inspecciones realizadas en Quetzaltenango en 2025.';
const REQUEST = '/tramites/acceso-informacion-publica/solicitud';
const COMPLAINT = '/tramites/denuncia-laboral/solicitud';

export const PAGES = [
    { name: 'inicio', path: '/' },
    { name: 'catalogo', path: '/tramites' },
    { name: 'catalogo-con-resultados', path: '/tramites?q=informaci%C3%B3n&canal=digital' },
    { name: 'catalogo-sin-resultados', path: '/tramites?q=zzzxxyy' },
    { name: 'ficha', path: '/tramites/acceso-informacion-publica' },
    { name: 'ficha-denuncia', path: '/tramites/denuncia-laboral' },
    { name: 'seguimiento', path: '/seguimiento' },
    { name: 'seguimiento-no-encontrado', path: '/seguimiento?codigo=ZZZZ-ZZZZ-ZZZZ', status: 404 },
    { name: 'seguimiento-encontrado', path: (site) => `/seguimiento?codigo=${site.tracking}` },
    { name: 'ingresar', path: '/cuenta/ingresar' },
    {
        name: 'ingresar-con-errores',
        path: '/cuenta/ingresar',
        act: async (page) => {
            await fill(page, { usuario: 'nadie@correo.gt', contrasena: 'no-es-la-clave' });
            return submit(page);
        },
        status: 401,
    },
    { name: 'registro', path: '/cuenta/registro' },
    {
        name: 'registro-con-errores',
        path: '/cuenta/registro',
        act: async (page) => {
            await fill(page, { cui: '123', nombre: 'A', correo: 'no-es-correo', contrasena: 'corta' });
            return submit(page);
        },
        status: 422,
    },
    {
        name: 'registro-enviado',
        path: '/cuenta/registro',
        act: async (page, site) => {
            const n = site.next();
            await fill(page, {
                cui: validCui(100 + n),
                nombre: `Persona de Prueba ${n}`,
                correo: `persona${n}@correo.gt`,
                contrasena: 'Caracol-azul-17',
            });
            return submit(page);
        },
        status: 201,
    },
    { name: 'restablecer', path: '/cuenta/restablecer' },
    { name: 'restablecer-con-errores', path: '/cuenta/restablecer', act: (page) => submit(page), status: 422 },
    {
        name: 'restablecer-enviado',
        path: '/cuenta/restablecer',
        act: async (page) => {
            await fill(page, { correo: DEMO.ciudadano });
            return submit(page);
        },
        status: 202,
    },
    { name: 'nueva-contrasena', path: '/cuenta/restablecer?token=0123456789abcdef' },
    {
        name: 'nueva-contrasena-con-errores',
        path: async (site) => `/cuenta/restablecer?token=${await site.resetToken()}`,
        act: async (page) => {
            await fill(page, { contrasena: 'corta' });
            return submit(page);
        },
        status: 422,
    },
    {
        name: 'contrasena-guardada',
        path: async (site) => `/cuenta/restablecer?token=${await site.resetToken()}`,
        act: async (page) => {
            await fill(page, { contrasena: 'Jaguar-verde-2026' });
            return submit(page);
        },
    },
    {
        name: 'enlace-vencido',
        path: '/cuenta/restablecer?token=0123456789abcdef',
        act: async (page) => {
            await fill(page, { contrasena: 'Jaguar-verde-2026' });
            return submit(page);
        },
        status: 422,
    },
    { name: 'activar', path: '/cuenta/activar?token=0123456789abcdef' },
    { name: 'activar-sin-enlace', path: '/cuenta/activar' },
    { name: 'verificar-correo', path: '/cuenta/verificar?token=0123456789abcdef' },
    {
        name: 'verificar-correo-fallido',
        path: '/cuenta/verificar?token=0123456789abcdef',
        act: (page) => submit(page),
        status: 422,
    },
    {
        name: 'correo-confirmado',
        path: async (site) => `/cuenta/verificar?token=${await site.verificationToken()}`,
        act: (page) => submit(page),
    },
    { name: 'error-no-existe', path: '/tramites/no-existe', status: 404 },
    {
        name: 'error-formulario-vencido',
        path: '/cuenta/ingresar',
        act: async (page) => {
            await page.locator('main input[name=csrf]').evaluate((input) => {
                input.value = 'vencido';
            });
            return submit(page);
        },
        status: 403,
    },
    { name: 'catalogo-con-sesion', path: '/tramites', as: 'ciudadano' },

    // Filing a trámite, anonymously and with an account.
    { name: 'solicitud', path: REQUEST },
    { name: 'solicitud-con-errores', path: REQUEST, act: (page) => press(page, 'Continuar'), status: 422 },
    { name: 'solicitud-segundo-paso', path: REQUEST, act: (page) => informationRequest(page, true) },
    { name: 'solicitud-revision', path: REQUEST, act: (page) => informationRequest(page, false) },
    {
        name: 'solicitud-recibida',
        path: REQUEST,
        act: async (page) => {
            await informationRequest(page, false);
            return press(page, 'Enviar solicitud');
        },
        status: 201,
    },
    { name: 'denuncia', path: COMPLAINT },
    {
        name: 'denuncia-lugar',
        path: COMPLAINT,
        act: async (page) => {
            await page.getByRole('group', { name: '¿Desea presentar la denuncia de forma anónima?' }).getByLabel('Sí').check();
            return press(page, 'Continuar');
        },
    },
    { name: 'solicitud-con-sesion', path: REQUEST, as: 'ciudadano' },
    {
        name: 'borrador-guardado',
        path: REQUEST,
        as: 'ciudadano',
        act: async (page) => {
            await fillInformationRequest(page, false);
            return press(page, 'Guardar y seguir después');
        },
    },

    // A citizen's own pages.
    { name: 'mis-tramites', path: '/mis-tramites', as: 'ciudadano' },
    { name: 'mi-expediente', path: (site) => `/mis-tramites/${site.citizenCase}`, as: 'ciudadano' },
    { name: 'organizaciones', path: '/organizaciones', as: 'ciudadano' },
    {
        name: 'organizaciones-con-errores',
        path: '/organizaciones',
        as: 'ciudadano',
        act: async (page) => {
            await fill(page, { nit: '123', razon_social: 'X' });
            return press(page, 'Registrar empleador');
        },
        status: 422,
    },
    { name: 'organizacion', path: '/organizaciones/576937-K', as: 'empleador' },
    {
        name: 'organizacion-con-errores',
        path: '/organizaciones/576937-K',
        as: 'empleador',
        act: async (page) => {
            await fill(page, { cui: '1234' });
            return press(page, 'Agregar');
        },
        status: 422,
    },

    // The severance calculator.
    { name: 'calculadora', path: '/calculadora-prestaciones' },
    {
        name: 'calculadora-con-errores',
        path: '/calculadora-prestaciones',
        act: (page) => press(page, 'Calcular'),
        status: 422,
    },
    {
        name: 'calculadora-resultado',
        path: '/calculadora-prestaciones',
        act: async (page) => {
            await fill(page, { fecha_inicio: '2019-03-01', fecha_fin: '2025-10-31', salario_ordinario_mensual: '4,250.00' });
            await page.getByLabel('Me despidieron sin una causa justificada').check();
            return press(page, 'Calcular');
        },
    },

    // The back office. Nothing here changes a case: the other entries see the same ones.
    { name: 'bandeja', path: '/bandeja', as: 'uip', citizen: false },
    { name: 'bandeja-vacia', path: '/bandeja?vencidos=1', as: 'uip', citizen: false },
    { name: 'bandeja-otra-oficina', path: '/bandeja', as: 'funcionario', citizen: false },
    { name: 'expediente', path: (site) => `/bandeja/${site.number}`, as: 'uip', citizen: false },
    {
        name: 'expediente-con-errores',
        path: (site) => `/bandeja/${site.number}`,
        as: 'uip',
        act: async (page) => {
            const action = page.locator('main details', { has: page.getByText('No admitir', { exact: true }) });
            await action.locator('summary').click();
            return submit(page, action.getByRole('button'));
        },
        status: 422,
        citizen: false,
    },
    {
        name: 'expediente-conflicto',
        path: (site) => `/bandeja/${site.number}`,
        as: 'uip',
        act: async (page) => {
            // As if someone else had acted since the page was loaded.
            const action = page.locator('main details', { has: page.getByText('Admitir la solicitud', { exact: true }) });
            await action.locator('input[name=revision]').evaluate((input) => {
                input.value = String(Number(input.value) + 1);
            });
            await action.locator('summary').click();
            return submit(page, action.getByRole('button'));
        },
        status: 409,
        citizen: false,
    },
    {
        name: 'segundo-factor',
        path: '/cuenta/segundo-factor',
        as: 'funcionario',
        citizen: false,
    },
    {
        name: 'segundo-factor-codigo',
        path: '/cuenta/segundo-factor',
        as: 'funcionario',
        act: (page) => press(page, 'Mostrar el código para mi aplicación'),
        citizen: false,
    },
    {
        name: 'segundo-factor-con-errores',
        path: '/cuenta/segundo-factor',
        as: 'funcionario',
        act: async (page) => {
            await press(page, 'Mostrar el código para mi aplicación');
            await fill(page, { codigo: '000000' });
            return press(page, 'Confirmar');
        },
        status: 422,
        citizen: false,
    },
    { name: 'informe-sla', path: '/informes/sla', as: 'uip', citizen: false },
    { name: 'informe-sla-con-errores', path: '/informes/sla?desde=ayer', as: 'uip', status: 422, citizen: false },

    // Administration.
    { name: 'admin', path: '/admin', as: 'admin', citizen: false },
    {
        name: 'admin-oficina-con-errores',
        path: '/admin',
        as: 'admin',
        act: (page) => press(page, 'Crear oficina'),
        status: 422,
        citizen: false,
    },
    {
        name: 'admin-funcionario-con-errores',
        path: '/admin',
        as: 'admin',
        act: (page) => press(page, 'Crear cuenta'),
        status: 422,
        citizen: false,
    },
    {
        name: 'admin-token-con-errores',
        path: '/admin',
        as: 'admin',
        act: (page) => press(page, 'Emitir token'),
        status: 422,
        citizen: false,
    },
    {
        name: 'admin-funcionario',
        path: '/admin',
        as: 'admin',
        act: (page) => submit(page, page.locator('main').getByRole('link', { name: 'Ver y cambiar a Elena Información' })),
        citizen: false,
    },
];

/**
 * A server with the demo accounts, mail going to a local sink, and one anonymous filing
 * to track, plus one case of the demo citizen; closed after test `t`. Resolves to the site:
 * {server, sink, tracking, number, citizenCase, next(), session(browser, role), verificationToken(), resetToken()}. next() gives a new
 * number for unique accounts; session() the logged-in storage state of a demo account
 * (logged in once per role); the token functions a real mailed token of a new account.
 */
export async function prepareSite(t) {
    const sink = await smtpSink(t);
    const server = await startServer(t, { args: ['--demo'], env: sink.env });
    const filed = await postJson(server, '/api/v1/expedientes', {
        tramite: 'acceso-informacion-publica',
        respuestas: {
            informacion: INFORMATION,
            formato: 'electronico',
            identificarse: false,
        },
    });
    expectStatus(filed, 201, 'presentar el trámite de prueba');
    // One case of the demo citizen, for her pages.
    const login = await postJson(server, '/api/v1/sesiones', { usuario: DEMO.ciudadano, contrasena: DEMO_PASSWORD });
    expectStatus(login, 201, 'ingresar con la API');
    const cookie = login.headers['set-cookie'].map((c) => c.split(';')[0]).find((c) => c.startsWith('vt_sesion='));
    const own = await postJson(
        server,
        '/api/v1/expedientes',
        { tramite: 'acceso-informacion-publica', respuestas: { informacion: INFORMATION, formato: 'electronico', identificarse: false } },
        { Cookie: cookie, 'X-CSRF-Token': login.json().csrf },
    );
    expectStatus(own, 201, 'presentar el trámite de la ciudadana');
    let counter = 0;
    const sessions = new Map();
    const site = {
        server,
        sink,
        tracking: filed.json().codigo_seguimiento,
        number: filed.json().numero,
        citizenCase: own.json().numero,
        next: () => ++counter,
        async session(browser, role) {
            if (!role) return undefined;
            if (!sessions.has(role)) sessions.set(role, await logIn(t, browser, server, DEMO[role], DEMO_PASSWORD));
            return sessions.get(role);
        },
        /** Registers a new citizen; resolves to {correo, contrasena, token} (the mailed one). */
        async register() {
            const n = site.next();
            const account = { correo: `cuenta${n}@correo.gt`, contrasena: 'Caracol-azul-17' };
            const res = await postJson(server, '/api/v1/cuentas', {
                cui: validCui(500 + n),
                nombre: `Cuenta de Prueba ${n}`,
                ...account,
            });
            expectStatus(res, 201, 'registrar una cuenta');
            return { ...account, token: await mailedToken(sink, account.correo, '/cuenta/verificar') };
        },
        async verificationToken() {
            return (await site.register()).token;
        },
        async resetToken() {
            const { correo, token } = await site.register();
            expectStatus(await postJson(server, '/api/v1/cuentas/verificacion', { token }), 200, 'confirmar el correo');
            expectStatus(await postJson(server, '/api/v1/cuentas/restablecimiento', { correo }), 202, 'pedir el enlace');
            return mailedToken(sink, correo, '/cuenta/restablecer');
        },
    };
    return site;
}

function postJson(server, target, body, headers = {}) {
    return request(server, target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
    });
}

function expectStatus(res, status, what) {
    if (res.status !== status) throw new Error(`no se pudo ${what}: ${res.status} ${res.text}`);
}

/** Opens `entry` of PAGES in `page` and performs its act; resolves to the response checked. */
export async function visit(page, site, entry) {
    const target = typeof entry.path === 'function' ? await entry.path(site) : entry.path;
    const res = await page.goto(site.server.url + target, { waitUntil: 'load' });
    return entry.act ? entry.act(page, site) : res;
}
