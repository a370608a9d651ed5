/** Opening hours of a practice: weekly ranges, holidays and dated exceptions, evaluated in the practice's time zone. */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** `["08:30", "12:30"]`: wall-clock, half-open; `end < start` runs past midnight. */
export type TimeRange = [start: string, end: string];

export interface Hours {
  timezone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  holidays?: { country: 'FR'; region?: string | null; closed: boolean };
  exceptions?: { from: string; to: string; hours: TimeRange[]; label?: { fr?: string; en?: string } }[];
}
