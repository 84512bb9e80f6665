// The visitor's follow-up page (/t/<ticketId>, the QR code on the ticket): no pairing, no token,
// no framework. Polls the public route every 15 s and when the phone shows the page again, and
// says plainly where the ticket stands — "Go to counter 3" in large type once called.
import './ticket.css';
import { asPublicTicket, describe, nextPollMs, ticketIdFrom } from './follow-up';
import type { PublicTicketDto } from '../../core/api/schemas';
import {
  fill,
  FOLLOW_UP_LANGS,
  FOLLOW_UP_STRINGS,
  LANG_NAMES,
  pickLang,
  type FollowUpLang,
} from './strings';

const root = document.getElementById('root') as HTMLElement;
const id = ticketIdFrom(location);

type State =
  | { kind: 'loading' }
  | { kind: 'not_found' }
  | { kind: 'ticket'; ticket: PublicTicketDto; at: Date; offline: boolean };

let state: State = id ? { kind: 'loading' } : { kind: 'not_found' };
/** The visitor's choice, else the ticket's language, else the phone's. */
let chosen: FollowUpLang | null = (() => {
  const wanted = new URLSearchParams(location.search).get('lang');
  return wanted ? pickLang(wanted) : null;
})();
let timer: ReturnType<typeof setTimeout> | undefined;
let lastAnnounced = '';

function lang(): FollowUpLang {
  if (chosen) return chosen;
  return pickLang(state.kind === 'ticket' ? state.ticket.lang : null, ...navigator.languages);
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function render(): void {
  const l = lang();
  const s = FOLLOW_UP_STRINGS[l];
  document.documentElement.lang = l;
  document.documentElement.dir = l === 'ar' ? 'rtl' : 'ltr';
  root.setAttribute('aria-busy', String(state.kind === 'loading'));

  const switcher = el('nav', { class: 'follow__langs', 'aria-label': s.language });
  for (const code of FOLLOW_UP_LANGS) {
    const button = el(
      'button',
      { type: 'button', lang: code, 'aria-pressed': String(code === l) },
      LANG_NAMES[code],
    );
    button.addEventListener('click', () => {
      chosen = code;
      const url = new URL(location.href);
      url.searchParams.set('lang', code);
      history.replaceState(null, '', url);
      render();
    });
    switcher.append(button);
  }

  const body: (Node | string)[] = [];
  let heading = s.title;
  if (state.kind === 'loading') {
    body.push(el('p', { class: 'follow__note', role: 'status' }, s.loading));
  } else if (state.kind === 'not_found') {
    heading = s.notFound;
    body.push(el('p', { class: 'follow__headline', role: 'alert' }, s.notFoundHelp));
  } else {
    const view = describe(state.ticket, l);
    document.title = `${view.number} · ${state.ticket.branchName}`;
    body.push(
      el(
        'section',
        { class: `follow__card follow__card--${view.tone}`, 'data-status': state.ticket.status },
        el('p', { class: 'follow__label' }, s.yourNumber),
        el('p', { class: 'follow__number', dir: 'ltr', 'data-testid': 'number' }, view.number),
        el('p', { class: 'follow__service' }, view.service),
        el('p', { class: 'follow__headline', 'data-testid': 'headline' }, view.headline),
        ...view.details.map((d) => el('p', { class: 'follow__detail' }, d)),
      ),
    );
    const time = new Intl.DateTimeFormat(`${l}-u-nu-latn`, { timeStyle: 'short' }).format(state.at);
    body.push(
      el('p', { class: 'follow__note' }, state.offline ? s.offline : fill(s.updated, { time })),
    );
    if (!view.final) {
      const refresh = el('button', { type: 'button', class: 'follow__refresh' }, s.refresh);
      refresh.addEventListener('click', () => void poll());
      body.push(refresh);
    }
    // Say it once to screen readers when the news changes, not at every poll.
    const news = `${view.headline}`;
    if (news !== lastAnnounced) {
      lastAnnounced = news;
      body.push(el('p', { class: 'visually-hidden', role: 'status' }, news));
    }
  }

  const branch = state.kind === 'ticket' ? state.ticket.branchName : '';
  root.replaceChildren(
    el('header', { class: 'follow__top' }, el('p', { class: 'follow__branch' }, branch), switcher),
    el('h1', { class: 'follow__title' }, heading),
    ...body,
  );
  if (state.kind !== 'ticket') document.title = `${heading} · Guichet`;
}

async function poll(): Promise<void> {
  clearTimeout(timer);
  if (!id) return render();
  let final = false;
  let status: number | null = null;
  let retryAfter: string | null = null;
  try {
    const response = await fetch(`/api/v1/public/tickets/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    if (response.status === 404) {
      state = { kind: 'not_found' };
      final = true;
    } else {
      const ticket = response.ok ? asPublicTicket(await response.json()) : null;
      if (!ticket) throw new Error(`HTTP ${response.status}`);
      state = { kind: 'ticket', ticket, at: new Date(), offline: false };
      final = describe(ticket, lang()).final;
    }
  } catch {
    // Keep what we showed; say the line is down (or keep "loading" before any answer).
    if (state.kind === 'ticket') state = { ...state, offline: true };
  }
  render();
  if (!final) timer = setTimeout(() => void poll(), nextPollMs(status, retryAfter));
}

// A phone that wakes the page up wants the news now, not in up to 15 s.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.kind !== 'not_found') void poll();
});

render();
void poll();
