// Every page of pages.mjs at 360 px passes axe-core's WCAG 2.1 A and AA rules with zero
// violations, and leaves a screenshot in tests/browser/artifacts/360/ for a person to look at.
import { test } from 'node:test';

import { checkAccessibility } from './support/checks.mjs';
import { BROWSER_TEST_TIMEOUT_MS } from './support/browser.mjs';

test('every page passes axe (WCAG 2.1 A and AA) at 360 px', { timeout: BROWSER_TEST_TIMEOUT_MS }, (t) =>
    checkAccessibility(t, 360));
