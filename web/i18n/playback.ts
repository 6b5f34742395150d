/** Messages of playback: the workspace's time bar and the big screen's replay. */
import { registerMessages } from './index';

export const playback = {
  'zh-CN': {
    open: '态势回放',
    openTitle: '按时间逐帧回放地图、指标和趋势',
    bar: '态势回放',
    play: '播放',
    pause: '暂停',
    back: '上一帧',
    forward: '下一帧',
    close: '关闭回放',
    scrub: '拖动选择帧',
    speed: '速度',
    step: '每帧',
    steps: { auto: '自动', hour: '1 小时', day: '1 天', week: '1 周' },
    frameOf: '第 {i} / {n} 帧',
    loading: '正在载入各帧…',
    failed: '回放数据载入失败：{message}',
    weekdays: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
    kpi: {
      reported: { hour: '该小时上报', day: '当日上报', week: '当周上报' },
      overdue: { hour: '该小时结束时超期未结', day: '当日结束时超期未结', week: '当周结束时超期未结' },
      note: '回放中：指标为所示帧的数值',
    },
    heat: { cell: '每约 {m} 米见方' },
    replay: '态势回放 · 近 {n} 天',
  },
  en: {
    open: 'Playback',
    openTitle: 'Play the map, the KPIs and the trend frame by frame',
    bar: 'Playback',
    play: 'Play',
    pause: 'Pause',
    back: 'Previous frame',
    forward: 'Next frame',
    close: 'Close playback',
    scrub: 'Drag to choose a frame',
    speed: 'Speed',
    step: 'Frame',
    steps: { auto: 'auto', hour: '1 hour', day: '1 day', week: '1 week' },
    frameOf: 'frame {i} of {n}',
    loading: 'Loading the frames…',
    failed: 'Playback data failed to load: {message}',
    weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    kpi: {
      reported: { hour: 'Reported in the hour', day: 'Reported that day', week: 'Reported that week' },
      overdue: { hour: 'Overdue at the hour\'s end', day: 'Overdue at the day\'s end', week: 'Overdue at the week\'s end' },
      note: 'Playback: figures of the frame shown',
    },
    heat: { cell: 'per ~{m} m square' },
    replay: 'Replay · last {n} days',
  },
};

registerMessages('playback', playback);
