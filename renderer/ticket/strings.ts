// The follow-up page's words in every UI language. Kept apart from the screens' i18next locales
// so a visitor's phone loads a few kilobytes, not the kiosk's and admin's texts; the i18n test
// checks these the same way (every key in every language, same placeholders).

export const FOLLOW_UP_LANGS = ['fr', 'en', 'ar'] as const;
export type FollowUpLang = (typeof FOLLOW_UP_LANGS)[number];

const fr = {
  title: 'Mon ticket',
  yourNumber: 'Votre numéro',
  service: 'Service : {service}',
  loading: 'Chargement de votre ticket…',
  waiting: 'En attente',
  ahead: 'Personnes avant vous : {count}',
  next: 'Vous êtes le prochain',
  estimate: 'Attente estimée : {duration}',
  about: 'environ {duration}',
  noEstimate: 'Pas d’estimation pour le moment',
  lessThanMinute: 'moins d’une minute',
  minutes: '{minutes} min',
  hoursMinutes: '{hours} h {minutes} min',
  called: 'C’est votre tour !',
  goTo: 'Présentez-vous au guichet {counter}',
  serving: 'Vous êtes servi au guichet {counter}',
  done: 'Ce ticket a été servi. Merci de votre visite.',
  noShow: 'Ce ticket a été appelé mais personne ne s’est présenté. Adressez-vous à l’accueil.',
  cancelled: 'Ce ticket a été annulé.',
  notFound: 'Ticket introuvable',
  notFoundHelp:
    'Ce lien ne correspond à aucun ticket. Il date peut-être d’un autre jour : vérifiez le code QR ou adressez-vous à l’accueil.',
  offline: 'Connexion perdue : nouvel essai automatique.',
  updated: 'Mis à jour à {time}. La page se rafraîchit toute seule.',
  language: 'Langue',
  refresh: 'Actualiser',
};

export type FollowUpStrings = Record<keyof typeof fr, string>;

const en: FollowUpStrings = {
  title: 'My ticket',
  yourNumber: 'Your number',
  service: 'Service: {service}',
  loading: 'Loading your ticket…',
  waiting: 'Waiting',
  ahead: 'People ahead of you: {count}',
  next: 'You are next',
  estimate: 'Estimated wait: {duration}',
  about: 'about {duration}',
  noEstimate: 'No estimate right now',
  lessThanMinute: 'less than a minute',
  minutes: '{minutes} min',
  hoursMinutes: '{hours} h {minutes} min',
  called: 'It is your turn!',
  goTo: 'Please go to counter {counter}',
  serving: 'You are being served at counter {counter}',
  done: 'This ticket has been served. Thank you for your visit.',
  noShow: 'This ticket was called but nobody came. Please ask at the reception desk.',
  cancelled: 'This ticket was cancelled.',
  notFound: 'Ticket not found',
  notFoundHelp:
    'This link matches no ticket. It may be from another day: check the QR code or ask at the reception desk.',
  offline: 'Connection lost: trying again automatically.',
  updated: 'Updated at {time}. This page refreshes by itself.',
  language: 'Language',
  refresh: 'Refresh',
};

const ar: FollowUpStrings = {
  title: 'تذكرتي',
  yourNumber: 'رقمك',
  service: 'الخدمة: {service}',
  loading: 'جارٍ تحميل تذكرتك…',
  waiting: 'في الانتظار',
  ahead: 'عدد الأشخاص قبلك: {count}',
  next: 'أنت التالي',
  estimate: 'مدة الانتظار التقديرية: {duration}',
  about: 'حوالي {duration}',
  noEstimate: 'لا يوجد تقدير حاليًا',
  lessThanMinute: 'أقل من دقيقة',
  minutes: '{minutes} دقيقة',
  hoursMinutes: '{hours} ساعة و{minutes} دقيقة',
  called: 'حان دورك!',
  goTo: 'يرجى التوجه إلى الشباك {counter}',
  serving: 'تتم خدمتك في الشباك {counter}',
  done: 'تمت خدمة هذه التذكرة. شكرًا لزيارتكم.',
  noShow: 'تم النداء على هذه التذكرة ولم يحضر أحد. يرجى التوجه إلى مكتب الاستقبال.',
  cancelled: 'تم إلغاء هذه التذكرة.',
  notFound: 'التذكرة غير موجودة',
  notFoundHelp:
    'هذا الرابط لا يطابق أي تذكرة. ربما يعود إلى يوم آخر: تحقق من رمز QR أو توجه إلى مكتب الاستقبال.',
  offline: 'انقطع الاتصال: تتم إعادة المحاولة تلقائيًا.',
  updated: 'آخر تحديث في {time}. يتم تحديث الصفحة تلقائيًا.',
  language: 'اللغة',
  refresh: 'تحديث',
};

export const FOLLOW_UP_STRINGS: Record<FollowUpLang, FollowUpStrings> = { fr, en, ar };

/** The language names as each language writes itself, for the switch. */
export const LANG_NAMES: Record<FollowUpLang, string> = {
  fr: 'Français',
  en: 'English',
  ar: 'العربية',
};

export function pickLang(...wanted: (string | null | undefined)[]): FollowUpLang {
  for (const w of wanted) {
    const base = w?.toLowerCase().split('-')[0];
    const found = FOLLOW_UP_LANGS.find((l) => l === base);
    if (found) return found;
  }
  return 'fr';
}

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) =>
    key in values ? String(values[key]) : all,
  );
}
