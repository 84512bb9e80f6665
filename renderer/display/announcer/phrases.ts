// What is said for a call: the branch's template per language (its own words), else ours.
import type { BranchDto } from '../../../core/api/schemas';
import { fillTemplate, spokenCounter, spokenNumber } from '../../shared/format';
import { LOCALES } from '../../i18n/resources';

export interface CallToAnnounce {
  number: string;
  counterName: string;
  ticketLang: string;
}

type BranchSpeech = Pick<BranchDto, 'announcementTemplates' | 'defaultLang'>;

/** The ticket's language first, then the branch's; each once, each only if we can phrase it. */
export function announcementSentences(
  call: CallToAnnounce,
  branch: BranchSpeech,
): { lang: string; text: string }[] {
  const langs = [...new Set([call.ticketLang, branch.defaultLang])];
  const values = { number: spokenNumber(call.number), counter: spokenCounter(call.counterName) };
  return langs.flatMap((lang) => {
    const template =
      branch.announcementTemplates[lang] ?? LOCALES[lang]?.display.announcementFallback;
    return template ? [{ lang, text: fillTemplate(template, values) }] : [];
  });
}
