import { test, expect } from '@playwright/test';

// Every request a page load makes succeeds: no 404 (the favicon was one on every load) and no
// console error, on both pages.
for (const [name, url] of [
  ['playground', '/'],
  ['studio', '/#studio'],
] as const) {
  test(`the ${name} loads without a failed request or console error`, async ({ page }) => {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    page.on('console', (m) => {
      if (m.type() === 'error') failed.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => failed.push(`pageerror: ${e.message}`));
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'SRBNAS Playground' })).toBeVisible();
    // The browser asks for the icon after the document; give it time to answer.
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.svg');
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
  });
}
