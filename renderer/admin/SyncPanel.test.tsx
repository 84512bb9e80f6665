// The Sync panel's kiosk agents, rendered to markup (no browser): each agent log with its state,
// and the events the hub refused with the printed number and the reason, in every UI language.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentSyncStateDto } from '../../core/api/schemas';
import { FALLBACK_LANG, i18n } from '../i18n';
import { AgentSyncList } from './SyncPanel';

const agent: AgentSyncStateDto = {
  agentId: 'agent-dev-kiosk-1',
  deviceId: 'dev-kiosk-1',
  deviceName: 'Borne entrée',
  epoch: 'e-0123456789abcdef',
  current: true,
  lastPushAt: '2026-11-23T09:12:00.000Z',
  lastBlockAt: '2026-11-23T09:10:00.000Z',
  ackSeq: 12,
  backlog: 0,
  applied: 10,
  rejectedCount: 2,
  rejected: [
    {
      eventId: '01960000-0000-7000-8000-000000000002',
      deviceSeq: 12,
      type: 'ticket.issued',
      reason: 'ticket A042 (or its id) exists already',
      ticketNumber: 'A042',
      ticketId: '5f0c2a8e-0000-4000-8000-000000000002',
      receivedAt: '2026-11-23T09:12:00.000Z',
    },
    {
      eventId: '01960000-0000-7000-8000-000000000001',
      deviceSeq: 7,
      type: 'ticket.issued',
      reason: 'number 951 is in no block of this agent epoch',
      ticketNumber: 'B951',
      ticketId: null,
      receivedAt: '2026-11-23T09:11:00.000Z',
    },
  ],
};
const retired: AgentSyncStateDto = {
  ...agent,
  epoch: 'e-old',
  current: false,
  lastPushAt: null,
  backlog: null,
  applied: 3,
  rejectedCount: 0,
  rejected: [],
};

const render = (agents: AgentSyncStateDto[] | null, error = '') =>
  renderToStaticMarkup(<AgentSyncList agents={agents} error={error} />);

afterAll(async () => {
  await i18n.changeLanguage(FALLBACK_LANG);
});

describe('AgentSyncList', () => {
  it.each(['fr', 'en', 'ar'])(
    'shows each agent log and what the hub refused (%s)',
    async (lang) => {
      await i18n.changeLanguage(lang);
      const html = render([agent, retired]);
      expect(html).toContain('Borne entrée');
      expect(html).toContain('e-0123456789abcdef');
      expect(html).toContain(i18n.t('admin.sync.agents.current'));
      expect(html).toContain(i18n.t('admin.sync.agents.retired'));
      expect(html).toContain(i18n.t('admin.sync.agents.unknown'));
      // The refused events: their printed numbers and reasons, newest first.
      expect(html).toContain('data-rejected="2"');
      expect(html.indexOf('A042')).toBeGreaterThan(0);
      expect(html.indexOf('A042')).toBeLessThan(html.indexOf('B951'));
      expect(html).toContain('number 951 is in no block of this agent epoch');
      expect(html).toContain(
        i18n.t('admin.sync.agents.rejectedTitle', { device: 'Borne entrée', epoch: agent.epoch }),
      );
      // Every key used resolved to text in this language (i18next returns the key otherwise).
      expect(html).not.toMatch(/admin\.sync\./);
    },
  );

  it('says so when no agent ever contacted the hub, and shows a read error', async () => {
    await i18n.changeLanguage('en');
    expect(render([])).toContain('No kiosk agent has contacted this hub yet.');
    expect(render(null)).toContain(i18n.t('common.loading'));
    const failed = render(null, 'The hub cannot be reached.');
    expect(failed).toContain('role="alert"');
    expect(failed).not.toContain(i18n.t('common.loading'));
  });

  it('tells the admin only the latest refused events are listed when there are more', async () => {
    await i18n.changeLanguage('en');
    const html = render([{ ...agent, rejectedCount: 120 }]);
    expect(html).toContain('the latest 2 of 120');
  });
});
