import { describe, expect, it } from 'vitest';
import { closurePhotoRefusal, photoDistanceM, photoFlags, type PhotoFacts } from '../../../server/domain/photos.ts';
import { groundDistanceM } from '../../../server/domain/geometry.ts';
import { DAY } from '../../../server/domain/time.ts';

const issue = { reportedAt: Date.UTC(2026, 10, 5, 7), position: [102.775, 24.915] as const };
const config = { staleDays: 3, farMetres: 150 };
const photo = (o: Partial<PhotoFacts>): PhotoFacts => ({ kind: 'before', hasExif: true, takenAt: issue.reportedAt, position: issue.position, attachedElsewhere: false, ...o });

describe('the photo checks', () => {
  it('flags stale exactly beyond the configured days', () => {
    expect(photoFlags(photo({ takenAt: issue.reportedAt - 3 * DAY }), issue, config)).toEqual([]);
    expect(photoFlags(photo({ takenAt: issue.reportedAt - 3 * DAY - 1 }), issue, config)).toEqual(['stale']);
  });

  it('flags an after photo taken before the report, not a before photo', () => {
    expect(photoFlags(photo({ kind: 'after', takenAt: issue.reportedAt - 1 }), issue, config)).toEqual(['before_report']);
    expect(photoFlags(photo({ kind: 'before', takenAt: issue.reportedAt - 1 }), issue, config)).toEqual([]);
    expect(photoFlags(photo({ kind: 'after', takenAt: issue.reportedAt }), issue, config)).toEqual([]);
  });

  it('flags far beyond the configured metres, and nothing without a position', () => {
    const north = (m: number) => [issue.position[0], issue.position[1] + m / 111_195] as const;
    expect(photoFlags(photo({ position: north(149) }), issue, config)).toEqual([]);
    expect(photoFlags(photo({ position: north(152) }), issue, config)).toEqual(['far']);
    expect(photoDistanceM(photo({ position: null }), issue)).toBeNull();
    expect(photoFlags(photo({ position: null, takenAt: null }), issue, config)).toEqual([]);
  });

  it('flags no EXIF and reuse, in a fixed order', () => {
    expect(photoFlags(photo({ hasExif: false, takenAt: null, position: null, attachedElsewhere: true }), issue, config)).toEqual(['no_exif', 'reused']);
    expect(photoFlags(photo({ kind: 'after', takenAt: issue.reportedAt - 5 * DAY, position: [103, 25], attachedElsewhere: true }), issue, config))
      .toEqual(['stale', 'before_report', 'far', 'reused']);
  });

  it('measures ground distance like the haversine of a known pair (Kunming–Beijing ≈ 2,100 km)', () => {
    expect(groundDistanceM([102.83, 24.88], [116.40, 39.90]) / 1000).toBeCloseTo(2093, -1);
    expect(groundDistanceM([0, 0], [0, 1])).toBeCloseTo(111_195, 0);
  });
});

describe('the closure rule', () => {
  it('asks for an after photo at 核查 and 结案 only', () => {
    expect(closurePhotoRefusal('verified', 0)?.code).toBe('after_photo_required');
    expect(closurePhotoRefusal('closed', 0)?.code).toBe('after_photo_required');
    expect(closurePhotoRefusal('closed', 1)).toBeNull();
    expect(closurePhotoRefusal('handled', 0)).toBeNull();
    expect(closurePhotoRefusal('cancelled', 0)).toBeNull();
  });
});
