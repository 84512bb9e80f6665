/**
 * The few words printed on a ticket, per language. Kept here rather than in the hub's i18n
 * files because a ticket must print even when the hub's translations are not loaded (doctor,
 * reprint from the CLI). Unknown languages fall back to English.
 */
export interface TicketLabels {
  yourNumber: string;
  ahead: (n: number) => string;
  wait: (text: string) => string;
  minutes: (m: number) => string;
  hoursMinutes: (h: number, m: number) => string;
  lessThanAMinute: string;
  scanToFollow: string;
  footer: string;
}

const en: TicketLabels = {
  yourNumber: 'Your number',
  ahead: (n) =>
    n === 0 ? 'You are next' : n === 1 ? '1 person ahead of you' : `${n} people ahead of you`,
  wait: (t) => `Estimated wait: ${t}`,
  minutes: (m) => `about ${m} min`,
  hoursMinutes: (h, m) => `about ${h} h ${String(m).padStart(2, '0')}`,
  lessThanAMinute: 'less than a minute',
  scanToFollow: 'Scan to follow your turn',
  footer: 'Please keep this ticket. Thank you!',
};

const fr: TicketLabels = {
  yourNumber: 'Votre numéro',
  ahead: (n) =>
    n === 0
      ? 'Vous êtes le prochain'
      : n === 1
        ? '1 personne avant vous'
        : `${n} personnes avant vous`,
  wait: (t) => `Attente estimée : ${t}`,
  minutes: (m) => `environ ${m} min`,
  hoursMinutes: (h, m) => `environ ${h} h ${String(m).padStart(2, '0')}`,
  lessThanAMinute: "moins d'une minute",
  scanToFollow: 'Scannez pour suivre votre tour',
  footer: 'Gardez ce ticket. Merci !',
};

const ar: TicketLabels = {
  yourNumber: 'رقمك',
  ahead: (n) => (n === 0 ? 'أنت التالي' : n === 1 ? 'شخص واحد قبلك' : `${n} أشخاص قبلك`),
  wait: (t) => `الانتظار المتوقع: ${t}`,
  minutes: (m) => `حوالي ${m} دقيقة`,
  hoursMinutes: (h, m) => `حوالي ${h} ساعة و${m} دقيقة`,
  lessThanAMinute: 'أقل من دقيقة',
  scanToFollow: 'امسح الرمز لمتابعة دورك',
  footer: 'يرجى الاحتفاظ بهذه التذكرة. شكرًا!',
};

const es: TicketLabels = {
  yourNumber: 'Su número',
  ahead: (n) =>
    n === 0 ? 'Usted es el siguiente' : n === 1 ? '1 persona delante' : `${n} personas delante`,
  wait: (t) => `Espera estimada: ${t}`,
  minutes: (m) => `unos ${m} min`,
  hoursMinutes: (h, m) => `unas ${h} h ${String(m).padStart(2, '0')}`,
  lessThanAMinute: 'menos de un minuto',
  scanToFollow: 'Escanee para seguir su turno',
  footer: 'Conserve este ticket. ¡Gracias!',
};

const de: TicketLabels = {
  yourNumber: 'Ihre Nummer',
  ahead: (n) =>
    n === 0
      ? 'Sie sind als Nächstes dran'
      : n === 1
        ? '1 Person vor Ihnen'
        : `${n} Personen vor Ihnen`,
  wait: (t) => `Geschätzte Wartezeit: ${t}`,
  minutes: (m) => `ca. ${m} Min.`,
  hoursMinutes: (h, m) => `ca. ${h} Std. ${String(m).padStart(2, '0')}`,
  lessThanAMinute: 'unter einer Minute',
  scanToFollow: 'Scannen, um Ihre Nummer zu verfolgen',
  footer: 'Bitte bewahren Sie dieses Ticket auf. Danke!',
};

const nl: TicketLabels = {
  yourNumber: 'Uw nummer',
  ahead: (n) =>
    n === 0 ? 'U bent de volgende' : n === 1 ? '1 persoon voor u' : `${n} personen voor u`,
  wait: (t) => `Geschatte wachttijd: ${t}`,
  minutes: (m) => `ongeveer ${m} min`,
  hoursMinutes: (h, m) => `ongeveer ${h} u ${String(m).padStart(2, '0')}`,
  lessThanAMinute: 'minder dan een minuut',
  scanToFollow: 'Scan om uw beurt te volgen',
  footer: 'Bewaar dit ticket. Dank u!',
};

const LABELS: Record<string, TicketLabels> = { en, fr, ar, es, de, nl };

export function labelsFor(lang: string): TicketLabels {
  return LABELS[lang.toLowerCase().split('-')[0] ?? 'en'] ?? en;
}

/** Languages written right to left: their raster lines are laid out RTL. */
export function isRtl(lang: string): boolean {
  return ['ar', 'he', 'fa', 'ur'].includes(lang.toLowerCase().split('-')[0] ?? '');
}

export function formatWait(seconds: number, labels: TicketLabels): string {
  if (seconds < 60) return labels.lessThanAMinute;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return labels.minutes(minutes);
  return labels.hoursMinutes(Math.floor(minutes / 60), minutes % 60);
}
