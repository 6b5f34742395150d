import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../server/env.ts';

describe('security settings from the environment', () => {
  it('opens reads on a loopback address and asks for tokens elsewhere, unless told', () => {
    expect(readEnv({}).reads).toBe('open');
    expect(readEnv({ HOST: '::1' }).reads).toBe('open');
    expect(readEnv({ HOST: '0.0.0.0' }).reads).toBe('token');
    expect(readEnv({ HOST: '10.1.2.3' }).reads).toBe('token');
    expect(readEnv({ HOST: '0.0.0.0', CIVGRID_READS: 'open' }).reads).toBe('open');
    expect(readEnv({ CIVGRID_READS: 'token' }).reads).toBe('token');
  });

  it('keeps CORS closed by default and takes a list of exact origins', () => {
    expect(readEnv({}).CIVGRID_CORS_ORIGINS).toEqual([]);
    expect(readEnv({ CIVGRID_CORS_ORIGINS: 'https://a.gov.cn, http://10.0.0.5:8080' }).CIVGRID_CORS_ORIGINS).toEqual(['https://a.gov.cn', 'http://10.0.0.5:8080']);
  });

  it('trusts no proxy by default and takes addresses and CIDR networks', () => {
    expect(readEnv({}).CIVGRID_TRUSTED_PROXIES).toEqual([]);
    expect(readEnv({ CIVGRID_TRUSTED_PROXIES: '10.0.0.1, 172.16.0.0/12,fd00::/8' }).CIVGRID_TRUSTED_PROXIES).toEqual([
      { address: '10.0.0.1', prefix: null, family: 'ipv4' },
      { address: '172.16.0.0', prefix: 12, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ]);
    expect(() => readEnv({ CIVGRID_TRUSTED_PROXIES: '10.0.0.1,192.168.1.300' })).toThrow(/CIVGRID_TRUSTED_PROXIES: 192\.168\.1\.300 is not an IP address/);
    expect(() => readEnv({ CIVGRID_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/CIVGRID_TRUSTED_PROXIES: 10\.0\.0\.0\/33: the prefix length must be 0–32/);
    expect(() => readEnv({ CIVGRID_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/CIVGRID_TRUSTED_PROXIES/);
  });

  it('names a bad value and stops', () => {
    expect(() => readEnv({ CIVGRID_CORS_ORIGINS: 'https://a.gov.cn/path' })).toThrow(/CIVGRID_CORS_ORIGINS: https:\/\/a\.gov\.cn\/path is not an origin/);
    expect(() => readEnv({ CIVGRID_CORS_ORIGINS: '*' })).toThrow(/CIVGRID_CORS_ORIGINS/);
    expect(() => readEnv({ CIVGRID_READS: 'maybe' })).toThrow(/CIVGRID_READS/);
    expect(() => readEnv({ CIVGRID_RATE_WRITES: '0' })).toThrow(/CIVGRID_RATE_WRITES/);
  });
});
