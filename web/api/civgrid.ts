/** Typed calls to the civgrid API, one function per endpoint the web app uses. */
import { api, ApiError, call } from './client';
import type { Health, RegionCollection, RegionLayers, RegionLevel } from './types';

/** `GET /api/health`: server liveness and table counts. */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  const health: Health = await call(api.api.health.$get(undefined, { init: { signal } }), signal);
  if (typeof health?.counts?.regions !== 'number') {
    throw new ApiError('invalid', '服务器健康检查返回的数据格式不正确');
  }
  return health;
}

/** `GET /api/regions`: one level of the region hierarchy, optionally below one parent. */
export async function fetchRegions(
  level: RegionLevel,
  parent?: string,
  signal?: AbortSignal,
): Promise<RegionCollection> {
  const query = parent === undefined ? { level } : { level, parent };
  const fc = (await call(api.api.regions.$get({ query }, { init: { signal, headers: { accept: 'application/json' } } }), signal)) as unknown as RegionCollection;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new ApiError('invalid', `区域数据（${level}）不是 GeoJSON FeatureCollection`);
  }
  return fc;
}

/** All three levels at once, which is what the basemap draws. */
export async function fetchRegionLayers(signal?: AbortSignal): Promise<RegionLayers> {
  const [district, street, community] = await Promise.all([
    fetchRegions('district', undefined, signal),
    fetchRegions('street', undefined, signal),
    fetchRegions('community', undefined, signal),
  ]);
  return { district, street, community };
}
