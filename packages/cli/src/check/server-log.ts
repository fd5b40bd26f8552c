/**
 * serverLog's line as the check tools print it to stdout: `pid:C 21 Nov 2026 20:52:02.918 # msg`
 * (role C, level warning). Tests compare everything around these lines, which never match.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function serverLog(message: string, now = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${two(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()}`;
  const time = `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  return `${process.pid}:C ${date} ${time} # ${message}\n`;
}

/** Matches a serverLog line's prefix, for comparing outputs. */
export const SERVER_LOG_PREFIX = /^\d+:C \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} # /gm;
