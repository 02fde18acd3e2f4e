// With JavaScript off, as on a locked-down or very old phone, every page still works: each
// page of pages.mjs loads in the same state with the same status, and a citizen logs in
// through the form, gets the logged-in navigation, and logs out.
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

        await open(page, site.server, '/cuenta/ingresar?volver=%2Ftramites');
        await page.getByLabel('Correo electrónico o número de DPI').fill(DEMO.ciudadano);
        await page.getByLabel('Contraseña').fill(DEMO_PASSWORD);
        const res = await submit(page);
        assert.equal(res.status(), 200, res.url());
        const nav = page.getByRole('navigation', { name: 'Principal' });
        assert.equal(await nav.getByRole('link', { name: 'Mis trámites' }).count(), 1);
        assert.equal(await nav.getByRole('link', { name: 'Ingresar' }).count(), 0);

        const out = await submit(page, 'nav form[action="/cuenta/salir"] button');
        assert.equal(out.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await nav.getByRole('link', { name: 'Ingresar' }).count(), 1);
        assert.equal(await nav.getByRole('link', { name: 'Mis trámites' }).count(), 0);
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
