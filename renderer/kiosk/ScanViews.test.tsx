// A scanned code the kiosk agent could not check because its hub is unreachable, rendered to markup
// (no browser): its own sentence in every UI language, never "unreadable".
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import { FALLBACK_LANG, i18n } from '../i18n';
import { scanErrorProblem, type ScanProblem } from './scan-routing';
import { ScanProblemView } from './ScanViews';

const render = (problem: ScanProblem) =>
  renderToStaticMarkup(<ScanProblemView problem={problem} onBack={() => undefined} />);

afterAll(async () => {
  await i18n.changeLanguage(FALLBACK_LANG);
});

describe('ScanProblemView while the kiosk agent cannot reach its hub', () => {
  it.each(['fr', 'en', 'ar'])('says so in the visitor’s language (%s)', async (lang) => {
    await i18n.changeLanguage(lang);
    const appointment = render(scanErrorProblem('appointment', 503, 'hub_unreachable'));
    expect(appointment).toContain('data-problem="check_in_offline"');
    expect(appointment).toContain(i18n.t('kiosk.appointmentOffline'));
    expect(appointment).not.toContain(i18n.t('kiosk.scan.unreadable'));

    const ticket = render(scanErrorProblem('ticket', 503, 'hub_unreachable'));
    expect(ticket).toContain('data-problem="lookup_offline"');
    expect(ticket).toContain(i18n.t('kiosk.scan.ticketOffline'));
    expect(ticket).not.toContain(i18n.t('kiosk.scan.unreadable'));
    // Every key resolved to text in this language (i18next returns the key otherwise).
    expect(appointment + ticket).not.toMatch(/kiosk\./);
  });
});
