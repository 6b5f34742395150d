/**
 * "Now" for the fixture city (tests/fixtures/city): its issues are from Sep–Nov 2026, so with
 * this clock "this month" is November 2026 and every answer is fixed, whatever day tests run.
 * Route tests pin the app's clock to it; e2e tests give the same instant to the server process
 * (`CIVGRID_TEST_NOW`) and to the browser (Playwright's clock).
 */
export const FIXTURE_NOW = new Date('2026-11-25T04:00:00Z');
