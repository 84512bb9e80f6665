// The lobby screens' badge, rendered to markup (no browser): which text for which link, in every
// UI language. A kiosk agent's link to its hub (`link: 'hub'`) is not the hub's link to central.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatusDto } from '../../core/api/schemas';
import type { ConnectionState } from '../api';
import { FALLBACK_LANG, i18n } from '../i18n';
import { ConnectionBadge } from './ConnectionBadge';

type Central = Pick<SyncStatusDto, 'linked' | 'state' | 'link'>;
const render = (state: ConnectionState, central: Central | null) =>
  renderToStaticMarkup(<ConnectionBadge state={state} central={central} />);

afterAll(async () => {
  await i18n.changeLanguage(FALLBACK_LANG);
});

describe('ConnectionBadge', () => {
  it.each(['fr', 'en', 'ar'])(
    'names the link that is down: the hub’s to central, or the agent’s to the hub (%s)',
    async (lang) => {
      await i18n.changeLanguage(lang);
      const hubDown = render('connected', { linked: true, state: 'offline', link: 'hub' });
      expect(hubDown).toContain('data-link="hub"');
      expect(hubDown).toContain(i18n.t('connection.hubUnreachable'));
      expect(hubDown).not.toContain(i18n.t('connection.centralUnreachable'));

      // Absent is central: what every hub sends.
      const centralDown = render('connected', { linked: true, state: 'error' });
      expect(centralDown).toContain('data-link="central"');
      expect(centralDown).toContain(i18n.t('connection.centralUnreachable'));
      expect(centralDown).not.toContain(i18n.t('connection.hubUnreachable'));
      expect(hubDown + centralDown).not.toMatch(/connection\./);
    },
  );

  it('says nothing of a link that is up; a lost screen connection keeps its badge', async () => {
    await i18n.changeLanguage('fr');
    const up = render('connected', { linked: true, state: 'online', link: 'hub' });
    expect(up).not.toContain('connection-badge');
    // The screen cannot reach the agent itself: "reconnecting", not the agent's stale word.
    const lost = render('reconnecting', { linked: true, state: 'offline', link: 'hub' });
    expect(lost).toContain('data-connection="reconnecting"');
    expect(lost).not.toContain(i18n.t('connection.hubUnreachable'));
  });
});
