/** The key-site types of docs/domain.md, seeded by the first migration. Zones buffer points and lines by `bufferM`. */
export type SiteTypeSeed = { code: string; name: string; nameEn: string; geometryKind: 'point' | 'line' | 'polygon'; bufferM: number; sort: number };

export const SITE_TYPES: SiteTypeSeed[] = [
  { code: 'market', name: '农贸市场', nameEn: 'Farmers market', geometryKind: 'point', bufferM: 100, sort: 1 },
  { code: 'school', name: '校园周边', nameEn: 'School surroundings', geometryKind: 'point', bufferM: 200, sort: 2 },
  { code: 'back_alley', name: '背街小巷', nameEn: 'Back alley', geometryKind: 'line', bufferM: 15, sort: 3 },
  { code: 'residential', name: '居民小区/老旧小区', nameEn: 'Residential compound', geometryKind: 'polygon', bufferM: 0, sort: 4 },
  { code: 'main_road', name: '主次干道', nameEn: 'Main road', geometryKind: 'line', bufferM: 30, sort: 5 },
  { code: 'intersection', name: '交通路口', nameEn: 'Intersection', geometryKind: 'point', bufferM: 50, sort: 6 },
  { code: 'bus_stop', name: '公交站台', nameEn: 'Bus stop', geometryKind: 'point', bufferM: 30, sort: 7 },
  { code: 'hospital', name: '医院', nameEn: 'Hospital', geometryKind: 'point', bufferM: 100, sort: 8 },
  { code: 'park', name: '公园/广场', nameEn: 'Park / square', geometryKind: 'polygon', bufferM: 0, sort: 9 },
  { code: 'service_hall', name: '窗口单位', nameEn: 'Service hall', geometryKind: 'point', bufferM: 50, sort: 10 },
  { code: 'practice_station', name: '新时代文明实践站', nameEn: 'Civilization practice station', geometryKind: 'point', bufferM: 50, sort: 11 },
  { code: 'public_ad', name: '公益广告', nameEn: 'Public-service ad', geometryKind: 'point', bufferM: 20, sort: 12 },
  { code: 'volunteer_post', name: '文明劝导岗', nameEn: 'Volunteer post', geometryKind: 'point', bufferM: 50, sort: 13 },
];
