/**
 * xsd:dateTime values (RFC 7643 §2.3.5) as comparable instants, keeping precision below the
 * millisecond: Entra ID sends seven fractional digits (`2021-09-23T19:35:41.8420572Z`).
 */

/** An instant: whole milliseconds since the epoch, plus the fractional digits below the millisecond. */
export interface Instant {
  ms: number;
  /** Digits after the third fractional digit, trailing zeros removed ("0572" for ".8420572"). */
  rest: string;
}

const DATE_TIME =
  /^(-?[0-9]{4,6})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,30}))?)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$/;

/**
 * Parses an xsd:dateTime; a missing time means midnight and a missing offset means UTC (lenient
 * readings of forms some clients send). Returns undefined for anything that is not a real instant.
 */
export function parseDateTime(text: string): Instant | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(frac.slice(0, 3).padEnd(3, '0')));
  const ms = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(ms)) return undefined;
  return { ms, rest: frac.slice(3).replace(/0+$/, '') };
}

/** Orders two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  const width = Math.max(a.rest.length, b.rest.length);
  const ra = a.rest.padEnd(width, '0');
  const rb = b.rest.padEnd(width, '0');
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

/**
 * The instant's whole milliseconds as stored text (`toISOString()`, which sorts as text for years
 * 0000–9999); '' below and '~' above that range, so text comparisons still order correctly.
 */
export function toStoredText(instant: Instant): string {
  const year = new Date(instant.ms).getUTCFullYear();
  if (year < 0 || (Number.isNaN(year) && instant.ms < 0)) return '';
  if (year > 9999 || Number.isNaN(year)) return '~';
  return new Date(instant.ms).toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
