/**
 * The security work in a real browser: the app's pages load under the server's CSP without a
 * single violation, and the sign-in page takes a token, shows the role and what it may do, and
 * keeps it for the session; with reads by token, the app sends the user to sign in and back.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageProblems, launchBrowser, newPage } from '../helpers/browser.ts';
import { FIXTURE_CITY, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';


let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Records CSP violations as the page reports them (also those that print no console line). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

async function issueToken(server: ServerProcess, name: string, role: string): Promise<string> {
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, role }),
  });
  return ((await res.json()) as { token: string }).token;
}

describe('with reads open (loopback)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ imports: FIXTURE_CITY });
  });
  afterAll(async () => server?.stop());

  const pages: [string, string][] = [
    ['/', '[data-map-state="ready"]'],
    ['/screen?test=1', '[data-screen-state="ready"]'],
    ['/plan', '[data-testid="plan-view"]'],
    ['/login', '[data-testid="sign-in"]'],
  ];
  for (const [path, ready] of pages) {
    it(`${path} loads under the CSP with no violation and no console error`, async () => {
      const page = await newPage(browser);
      try {
        const problems = collectPageProblems(page);
        const violations = await watchCsp(page);
        const res = await page.goto(`${server.url}${path}`);
        expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
        await page.locator(ready).first().waitFor({ timeout: 60_000 });
        // Workers, tiles and charts start after the first paint: give them time to trip the policy.
        await page.waitForTimeout(2_000);
        expect(await violations()).toEqual([]);
        expect(problems.all().filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
        expect(problems.consoleErrors).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }

  it('the API docs page renders under the same CSP', async () => {
    const page = await newPage(browser);
    try {
      const violations = await watchCsp(page);
      await page.goto(`${server.url}/api/docs`);
      await page.locator('h1').waitFor();
      expect(await violations()).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('signs in with a token, shows the role and what it may do, and keeps it for the session', async () => {
    const token = await issueToken(server, '王规划', 'planner');
    const page = await newPage(browser);
    try {
      await page.goto(`${server.url}/login`);
      await page.getByTestId('token-input').fill(`cg_${'x'.repeat(43)}`);
      await page.getByTestId('sign-in-button').click();
      await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('令牌无效');

      await page.getByTestId('token-input').fill(token);
      await page.getByTestId('sign-in-button').click();
      await page.getByTestId('identity').waitFor();
      await expect(page.getByTestId('identity').textContent()).resolves.toMatch(/王规划\s*规划员/);
      const abilities = await page.getByTestId('abilities').locator('li').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.ability));
      expect(abilities).toEqual(['read', 'ingest_issues', 'workflow', 'edit_plans', 'publish_plans']);
      expect(await page.evaluate(() => sessionStorage.getItem('civgrid.token'))).toBe(token);

      await page.reload();
      await page.getByTestId('identity').waitFor();
      await page.getByTestId('sign-out').click();
      await page.getByTestId('token-input').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('civgrid.token'))).toBeNull();
    } finally {
      await page.context().close();
    }
  });
});

describe('with reads by token (CIVGRID_READS=token)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ imports: FIXTURE_CITY, env: { CIVGRID_READS: 'token' } });
  });
  afterAll(async () => server?.stop());

  it('sends a visitor without a token to sign in, then back to the page, which loads', async () => {
    const token = await issueToken(server, '值班员', 'viewer');
    const page = await newPage(browser);
    try {
      await page.goto(`${server.url}/?scope=street:530111001`);
      await page.waitForURL(/\/login\?next=/, { timeout: 30_000 });
      expect(new URL(page.url()).searchParams.get('next')).toBe('/?scope=street:530111001');
      await page.getByTestId('token-input').fill(token);
      await page.getByTestId('sign-in-button').click();
      await expect(page.getByTestId('identity').textContent()).resolves.toContain('查看员');
      await page.getByTestId('continue').click();
      await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('scope') === 'street:530111001');
      await page.locator('[data-map-state="ready"]').waitFor({ timeout: 60_000 });
    } finally {
      await page.context().close();
    }
  }, 120_000);
});
