import { describe, expect, it } from 'vitest';
import { matchPath, POLICY, requiredRole } from '../../../server/auth/policy.ts';
import { abilitiesOf, roleAtLeast, ROLES } from '../../../server/auth/roles.ts';
import { cityApp } from '../../helpers/app.ts';

describe('matchPath', () => {
  it('matches one segment with * and any depth with a trailing /**', () => {
    expect(matchPath('/api/issues/*/events', '/api/issues/I01/events')).toBe(true);
    expect(matchPath('/api/issues/*/events', '/api/issues/I01/x/events')).toBe(false);
    expect(matchPath('/api/plans/**', '/api/plans')).toBe(true);
    expect(matchPath('/api/plans/**', '/api/plans/3/grids/G1')).toBe(true);
    expect(matchPath('/api/plans/**', '/api/plansx')).toBe(false);
    expect(matchPath('/api/issues', '/api/issues/')).toBe(true);
  });
});

describe('the policy table', () => {
  const cases: [method: string, path: string, open: string | null, token: string | null][] = [
    ['GET', '/api/health', null, null],
    ['GET', '/api/auth/me', null, null],
    ['GET', '/api/stats/summary', null, 'viewer'],
    ['GET', '/api/events', null, 'viewer'],
    ['POST', '/api/issues', 'operator', 'operator'],
    ['POST', '/api/issues/I01/events', 'operator', 'operator'],
    ['POST', '/api/issues/I01/photos', 'operator', 'operator'],
    ['DELETE', '/api/issues/I01/photos/ab', 'admin', 'admin'],
    ['GET', '/api/photos/ab/thumb', null, 'viewer'],
    ['GET', '/api/photos/ab/original', 'admin', 'admin'],
    ['POST', '/api/plans', 'planner', 'planner'],
    ['PUT', '/api/plans/2/grids/G1', 'planner', 'planner'],
    ['DELETE', '/api/plans/2', 'planner', 'planner'],
    ['POST', '/api/plans/2/publish', 'planner', 'planner'],
    ['POST', '/api/import/grids', 'admin', 'admin'],
    ['GET', '/api/users', 'admin', 'admin'],
    ['POST', '/api/users', 'admin', 'admin'],
    ['GET', '/api/audit', 'admin', 'admin'],
    ['GET', '/api/audit/export.csv', 'admin', 'admin'],
    ['POST', '/api/backups', 'admin', 'admin'],
    ['POST', '/api/something-new', 'admin', 'admin'],
    ['OPTIONS', '/api/issues', 'admin', 'admin'],
  ];
  for (const [method, path, open, token] of cases) {
    it(`${method} ${path} needs ${open ?? 'nothing'} (reads open) / ${token ?? 'nothing'} (reads by token)`, () => {
      expect(requiredRole(method, path, 'open')).toBe(open);
      expect(requiredRole(method, path, 'token')).toBe(token);
    });
  }

  it('checks every write route the app answers: none is left to anyone below operator', async () => {
    const t = await cityApp();
    try {
      const writes = t.app.routes.filter((r) => r.path.startsWith('/api/') && !['GET', 'HEAD', 'ALL'].includes(r.method));
      expect(writes.length).toBeGreaterThan(15);
      for (const r of writes) {
        const need = requiredRole(r.method, r.path.replace(/:(\w+)/g, 'x'), 'open');
        expect(need, `${r.method} ${r.path}`).not.toBeNull();
        expect(roleAtLeast(need!, 'operator'), `${r.method} ${r.path}`).toBe(true);
      }
    } finally {
      await t.cleanup();
    }
  });

  it('gives each rule a reason, for the README table', () => {
    for (const rule of POLICY) expect(rule.why.length).toBeGreaterThan(10);
  });
});

describe('roles', () => {
  it('rank viewer < operator < planner < admin, each with the abilities of those below', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'planner', 'admin']);
    expect(roleAtLeast('planner', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'planner')).toBe(false);
    expect(abilitiesOf('viewer')).toEqual(['read']);
    expect(abilitiesOf('planner')).toEqual(['read', 'ingest_issues', 'workflow', 'edit_plans', 'publish_plans']);
    expect(abilitiesOf('admin')).toContain('users');
  });
});
