import { useNow } from '../shared/useNow';

/** The branch's local time, in the screen's language. */
export function Clock({ lang, timeZone }: { lang: string; timeZone: string | undefined }) {
  const now = useNow(1000);
  const date = new Date(now);
  const zone = timeZone ? { timeZone } : {};
  // Latin digits in every language, like the ticket numbers next to it.
  const locale = `${lang}-u-nu-latn`;
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...zone });
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...zone,
  });
  return (
    <div className="clock">
      <time className="clock__time" dateTime={date.toISOString()}>
        {time.format(date)}
      </time>
      <span className="clock__date">{day.format(date)}</span>
    </div>
  );
}
