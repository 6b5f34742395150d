/** Messages of the evidence photos (整改前 / 整改后), shown in the workspace panels and on the wall. */
import { registerMessages } from './index';

export const photos = {
  'zh-CN': {
    title: '现场照片',
    latest: '最新现场照片',
    none: '暂无照片',
    kind: { before: '整改前', after: '整改后', other: '其他' },
    compare: '拖动滑块对比整改前后',
    missingAfter: '尚无整改后照片',
    missingBefore: '尚无整改前照片',
    takenAt: '拍摄时间',
    uploaded: '上传',
    distance: '距问题位置 {m} 米',
    noPosition: '照片无定位信息',
    unknownTime: '拍摄时间未知',
    openIssue: '查看问题',
    close: '关闭',
    enlarge: '查看大图',
    flag: {
      stale: '拍摄过早', before_report: '早于上报', far: '位置偏远', no_exif: '无拍摄信息', reused: '重复使用',
    },
    flagHint: {
      stale: '拍摄时间比上报早数天以上，可能是旧照片',
      before_report: '整改后照片的拍摄时间早于问题上报',
      far: '照片定位距问题位置过远，可能不是现场拍摄',
      no_exif: '照片没有拍摄时间和定位信息（很多应用会去除），无法核验',
      reused: '同一张照片已用于另一个问题',
    },
  },
  en: {
    title: 'Site photos',
    latest: 'Latest site photos',
    none: 'No photos yet',
    kind: { before: 'Before', after: 'After', other: 'Other' },
    compare: 'Drag the slider to compare before and after',
    missingAfter: 'No after photo yet',
    missingBefore: 'No before photo yet',
    takenAt: 'Taken',
    uploaded: 'Uploaded',
    distance: '{m} m from the issue',
    noPosition: 'No position in the photo',
    unknownTime: 'Capture time unknown',
    openIssue: 'Open issue',
    close: 'Close',
    enlarge: 'Enlarge',
    flag: {
      stale: 'Stale', before_report: 'Before report', far: 'Far away', no_exif: 'No EXIF', reused: 'Reused',
    },
    flagHint: {
      stale: 'Taken days before the report: possibly an old picture',
      before_report: 'An after photo taken before the problem was reported',
      far: 'Its position is far from the issue: possibly not taken on site',
      no_exif: 'No capture time or position (many apps strip them): cannot be checked',
      reused: 'The same picture is attached to another issue',
    },
  },
};

registerMessages('photos', photos);
