/**
 * The official working calendar shipped with the system (2024–2026), typed in by hand from the
 * State Council General Office notices on public holiday arrangements. Later years are added by
 * admins as data when published (2027 was not yet published when this was written).
 *
 * `holidays`: every day the notice gives off (放假), including the Sat/Sun inside a stated range.
 * Where a notice only says a single day "与周末连休" (joined to the weekend), only that day is listed:
 * the adjoining weekend is an ordinary rest day anyway.
 * `workdays`: the make-up working days (调休上班), all of them Saturdays or Sundays.
 *
 * Deliberately independent of the `chinese-days` package, which serves only as a test oracle.
 */
import { buildCalendar, type CalendarYearData, type IsoDate, type WorkingCalendar } from './calendar';

/** Inclusive run of consecutive dates within one month, e.g. range('2026-10', 1, 7). */
function range(yearMonth: string, fromDay: number, toDay: number): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = fromDay; d <= toDay; d++) out.push(`${yearMonth}-${String(d).padStart(2, '0')}`);
  return out;
}

/** Frozen so the shipped data (and the per-year caches in calendar.ts) can never drift at run time. */
function freezeYears(years: Record<string, CalendarYearData>): Record<string, CalendarYearData> {
  for (const y of Object.values(years)) {
    Object.freeze(y.holidays);
    Object.freeze(y.workdays);
    Object.freeze(y);
  }
  return Object.freeze(years);
}

export const OFFICIAL_CALENDAR_YEARS: Record<string, CalendarYearData> = freezeYears({
  // 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023-10-25）
  '2024': {
    holidays: [
      '2024-01-01', // 元旦：1月1日放假，与周末连休
      ...range('2024-02', 10, 17), // 春节：2月10日至17日放假调休，共8天
      ...range('2024-04', 4, 6), // 清明节：4月4日至6日放假调休，共3天
      ...range('2024-05', 1, 5), // 劳动节：5月1日至5日放假调休，共5天
      '2024-06-10', // 端午节：6月10日放假，与周末连休
      ...range('2024-09', 15, 17), // 中秋节：9月15日至17日放假调休，共3天
      ...range('2024-10', 1, 7), // 国庆节：10月1日至7日放假调休，共7天
    ],
    workdays: [
      '2024-02-04', // 春节：2月4日（星期日）上班
      '2024-02-18', // 春节：2月18日（星期日）上班
      '2024-04-07', // 清明节：4月7日（星期日）上班
      '2024-04-28', // 劳动节：4月28日（星期日）上班
      '2024-05-11', // 劳动节：5月11日（星期六）上班
      '2024-09-14', // 中秋节：9月14日（星期六）上班
      '2024-09-29', // 国庆节：9月29日（星期日）上班
      '2024-10-12', // 国庆节：10月12日（星期六）上班
    ],
  },

  // 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024-11-12）
  // (the first arrangement under the amended 全国年节及纪念日放假办法: Spring Festival and Labour Day +1 day each)
  '2025': {
    holidays: [
      '2025-01-01', // 元旦：1月1日（周三）放假1天，不调休
      ...range('2025-01', 28, 31), // 春节：1月28日（除夕、周二）至2月4日（正月初七、周二）放假调休，共8天
      ...range('2025-02', 1, 4),
      ...range('2025-04', 4, 6), // 清明节：4月4日（周五）至6日（周日）放假，共3天
      ...range('2025-05', 1, 5), // 劳动节：5月1日（周四）至5日（周一）放假调休，共5天
      '2025-05-31', // 端午节：5月31日（周六）至6月2日（周一）放假，共3天
      ...range('2025-06', 1, 2),
      ...range('2025-10', 1, 8), // 国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天
    ],
    workdays: [
      '2025-01-26', // 春节：1月26日（周日）上班
      '2025-02-08', // 春节：2月8日（周六）上班
      '2025-04-27', // 劳动节：4月27日（周日）上班
      '2025-09-28', // 国庆节、中秋节：9月28日（周日）上班
      '2025-10-11', // 国庆节、中秋节：10月11日（周六）上班
    ],
  },

  // 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025-11）
  '2026': {
    holidays: [
      ...range('2026-01', 1, 3), // 元旦：1月1日（周四）至3日（周六）放假调休，共3天
      ...range('2026-02', 15, 23), // 春节：2月15日（腊月二十八、周日）至23日（正月初七、周一）放假调休，共9天
      ...range('2026-04', 4, 6), // 清明节：4月4日（周六）至6日（周一）放假，共3天
      ...range('2026-05', 1, 5), // 劳动节：5月1日（周五）至5日（周二）放假调休，共5天
      ...range('2026-06', 19, 21), // 端午节：6月19日（周五）至21日（周日）放假，共3天
      ...range('2026-09', 25, 27), // 中秋节：9月25日（周五）至27日（周日）放假，共3天
      ...range('2026-10', 1, 7), // 国庆节：10月1日（周四）至7日（周三）放假调休，共7天
    ],
    workdays: [
      '2026-01-04', // 元旦：1月4日（周日）上班
      '2026-02-14', // 春节：2月14日（周六）上班
      '2026-02-28', // 春节：2月28日（周六）上班
      '2026-05-09', // 劳动节：5月9日（周六）上班
      '2026-09-20', // 国庆节：9月20日（周日）上班
      '2026-10-10', // 国庆节：10月10日（周六）上班
    ],
  },
});

/** The calendar the system ships with; its version is a hash of the data above. */
export const SHIPPED_CALENDAR: WorkingCalendar = buildCalendar(OFFICIAL_CALENDAR_YEARS);
