// With JavaScript off, as on a locked-down or very old phone, every page still works: each
// page of pages.mjs loads in the same state with the same status, a citizen logs in
// through the form, gets the logged-in navigation, and logs out, and a trámite is filed
// without an account and followed with its tracking code.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEMO, DEMO_PASSWORD, PAGES, prepareSite, visit } from './pages.mjs';
import { BROWSER_TEST_TIMEOUT_MS, launchBrowser, newContext, open, submit } from './support/browser.mjs';

const opts = { timeout: BROWSER_TEST_TIMEOUT_MS };

test('without JavaScript every page loads, and a citizen logs in and out', opts, async (t) => {
    const site = await prepareSite(t);
    const browser = await launchBrowser(t);

    await t.test('iniciar y cerrar sesión', async (st) => {
        const context = await newContext(st, browser, { javaScriptEnabled: false, width: 360 });
        const page = await context.newPage();
        await page.setContent('<title>sin</title><script>document.title = "con"</script>');
        assert.equal(await page.title(), 'sin', 'JavaScript sigue activo en el navegador');

        await open(page, site.server, '/');
        await submit(page, page.getByRole('link', { name: 'Ingresar' }));
        await page.getByLabel('Correo electrónico o número de DPI').fill(DEMO.ciudadano);
        await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
        const res = await submit(page);
        assert.equal(res.status(), 200, res.url());
        assert.equal(new URL(res.url()).pathname, '/mis-tramites');
        const nav = page.getByRole('navigation', { name: 'Principal' });
        assert.equal(await nav.getByRole('link', { name: 'Mis trámites' }).count(), 1);
        assert.equal(await nav.getByRole('link', { name: 'Ingresar' }).count(), 0);

        const out = await submit(page, 'nav form[action="/cuenta/salir"] button');
        assert.equal(out.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await nav.getByRole('link', { name: 'Ingresar' }).count(), 1);
        assert.equal(await nav.getByRole('link', { name: 'Mis trámites' }).count(), 0);
    });

    await t.test('presentar un trámite sin cuenta y seguirlo', async (st) => {
        const context = await newContext(st, browser, { javaScriptEnabled: false, width: 360 });
        const page = await context.newPage();
        await open(page, site.server, '/tramites/acceso-informacion-publica');
        await submit(page, page.getByRole('link', { name: 'Iniciar trámite' }));
        await page.getByLabel('¿Qué información necesita?').fill('Actas de inspección de 2025 en Escuintla.');
        await page.getByLabel('Por medio electrónico', { exact: false }).check();
        await page.getByRole('group', { name: '¿Desea identificarse?' }).getByLabel('No').check();
        let res = await submit(page, page.getByRole('button', { name: 'Continuar' }));
        assert.equal(res.status(), 200);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Revise sus respuestas');
        assert.ok((await page.locator('main').textContent()).includes('Actas de inspección de 2025 en Escuintla.'));

        res = await submit(page, page.getByRole('button', { name: 'Enviar solicitud' }));
        assert.equal(res.status(), 201);
        const number = (await page.locator('.panel-confirmacion strong').textContent()).trim();
        assert.match(number, /^MTPS-\d{4}-\d{6}$/);
        const code = (await page.locator('.aviso strong').textContent()).trim();
        assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

        res = await submit(page, page.getByRole('link', { name: 'Seguimiento', exact: true }).last());
        assert.equal(res.status(), 200);
        assert.equal(await page.getByRole('heading', { level: 2 }).first().textContent(),
            'Solicitud de acceso a la información pública');
        assert.ok((await page.locator('main dl').textContent()).includes('Presentada'));
    });

    const contexts = new Map();
    for (const entry of PAGES) {
        await t.test(entry.name, async () => {
            const role = entry.as ?? '';
            if (!contexts.has(role)) {
                const storageState = await site.session(browser, entry.as);
                contexts.set(role, await newContext(t, browser, { javaScriptEnabled: false, storageState }));
            }
            const page = await contexts.get(role).newPage();
            try {
                const res = await visit(page, site, entry);
                assert.equal(res.status(), entry.status ?? 200, `estado de ${res.url()}`);
                assert.equal(await page.locator('main h1').count(), 1, 'la página tiene un título principal');
            } finally {
                await page.close();
            }
        });
    }
});
