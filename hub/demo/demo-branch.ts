// The demo branch: a town hall with four services and four counters, in French, English and Arabic.
import type { BranchSettings } from '../features/branch/branch-store';
import type { NewCounter } from '../features/counters/counter-store';
import type { NewService } from '../features/services/service-store';

export const DEMO_BRANCH: BranchSettings = {
  id: 'demo-branch',
  name: 'Mairie de Démo',
  timeZone: 'Europe/Paris',
  defaultLang: 'fr',
  languages: ['fr', 'en', 'ar'],
  capacity: 200,
  priorityEnabled: true,
  inactivityTimeoutSec: 30,
  announcementTemplates: {
    fr: 'Le ticket {number} est attendu au guichet {counter}',
    en: 'Ticket {number}, please go to counter {counter}',
    ar: 'التذكرة {number}، يرجى التوجه إلى الشباك {counter}',
  },
  priorityCap: 2,
  agingThresholdSec: 30 * 60,
  maxRecalls: 3,
};

export const DEMO_SERVICES: NewService[] = [
  {
    id: 'etat-civil',
    prefix: 'A',
    name: { fr: 'État civil', en: 'Civil registry', ar: 'الحالة المدنية' },
  },
  {
    id: 'passeports',
    prefix: 'B',
    name: { fr: 'Passeports', en: 'Passports', ar: 'جوازات السفر' },
  },
  {
    id: 'titres-sejour',
    prefix: 'C',
    name: { fr: 'Titres de séjour', en: 'Residence permits', ar: 'تصاريح الإقامة' },
  },
  { id: 'visas', prefix: 'D', name: { fr: 'Visas', en: 'Visas', ar: 'التأشيرات' } },
];

/** Counter names are what the display and the announcement say after "counter". */
export const DEMO_COUNTERS: NewCounter[] = [
  {
    id: 'counter-1',
    name: '1',
    profile: [
      { serviceId: 'etat-civil', weight: 3 },
      { serviceId: 'passeports', weight: 1 },
    ],
  },
  {
    id: 'counter-2',
    name: '2',
    profile: [
      { serviceId: 'passeports', weight: 3 },
      { serviceId: 'titres-sejour', weight: 1 },
    ],
  },
  {
    id: 'counter-3',
    name: '3',
    profile: [
      { serviceId: 'titres-sejour', weight: 2 },
      { serviceId: 'visas', weight: 2 },
    ],
  },
  {
    id: 'counter-4',
    name: '4',
    profile: [
      { serviceId: 'etat-civil', weight: 1 },
      { serviceId: 'passeports', weight: 1 },
      { serviceId: 'titres-sejour', weight: 1 },
      { serviceId: 'visas', weight: 1 },
    ],
  },
];
