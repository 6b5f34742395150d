/** Messages of the bulletin page (一月一通报): its toolbar; the document itself is Chinese, as issued. */
import { registerMessages } from './index';

export const bulletin = {
  'zh-CN': {
    title: '一月一通报',
    open: '通报',
    openTitle: '生成当前范围的月度通报（可打印、下载 PDF）',
    period: '通报期',
    quarter: '{year}年第{q}季度',
    month: '{year}年{month}月',
    running: '（截至今日）',
    print: '打印',
    pdf: '下载 PDF',
    pdfBusy: '正在生成 PDF…',
    back: '返回工作台',
    loading: '正在生成通报…',
    failed: '通报生成失败',
    scopeTop: '全域',
  },
  en: {
    title: 'Monthly bulletin',
    open: 'Bulletin',
    openTitle: "The current scope's monthly bulletin (print, PDF)",
    period: 'Period',
    quarter: 'Q{q} {year}',
    month: '{month}/{year}',
    running: ' (so far)',
    print: 'Print',
    pdf: 'Download PDF',
    pdfBusy: 'Printing PDF…',
    back: 'Back to the workspace',
    loading: 'Building the bulletin…',
    failed: 'The bulletin could not be built',
    scopeTop: 'Whole area',
  },
};

registerMessages('bulletin', bulletin);
