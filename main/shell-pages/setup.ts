// The setup page (app://guichet/shell/setup.html): reads the state through window.guichetShell,
// sends the installer's choices back. Plain DOM: it must work before any hub exists.
import type { MachineRole, SaveSetupRequest, ScreenRole, SetupState } from '../../preload/api';

const SCREEN_ROLES: ScreenRole[] = ['kiosk', 'display', 'counter', 'admin'];
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function show(text: string, error = false): void {
  const message = byId<HTMLParagraphElement>('message');
  message.textContent = text;
  message.className = error ? 'message error' : 'message';
}

function render(state: SetupState): void {
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name=role]'))
    box.checked = state.roles.includes(box.value as MachineRole);
  byId<HTMLInputElement>('hub-url').value = state.hubUrl;
  byId<HTMLInputElement>('counter-id').value = state.counterId ?? '';
  byId('secrets').textContent = state.secretsEncrypted
    ? 'Secrets are encrypted by the operating system’s keychain.'
    : 'No OS keychain here: secrets are stored in an owner-only file, not encrypted.';
  const pairing = byId('pairing');
  const screens = byId('screens');
  pairing.replaceChildren();
  screens.replaceChildren();
  for (const role of SCREEN_ROLES) {
    const pairLabel = document.createElement('label');
    pairLabel.textContent = `Pairing code for the ${role} screen${state.pairedRoles.includes(role) ? ' (paired; fill in only to re-pair)' : ''}`;
    const pairInput = document.createElement('input');
    pairInput.type = 'text';
    pairInput.id = `pair-${role}`;
    pairInput.autocomplete = 'off';
    pairLabel.append(pairInput);
    pairing.append(pairLabel);

    const screenLabel = document.createElement('label');
    screenLabel.textContent = `${role} window on `;
    const select = document.createElement('select');
    select.id = `screen-${role}`;
    select.append(new Option('automatic', ''));
    for (const display of state.displays)
      select.append(
        new Option(
          `${display.label} (${display.width}×${display.height}${display.primary ? ', primary' : ''})`,
          String(display.id),
          false,
          state.screenAssignments[role] === display.id,
        ),
      );
    screenLabel.append(select);
    screens.append(screenLabel);
  }
}

function collect(): SaveSetupRequest {
  const roles = [...document.querySelectorAll<HTMLInputElement>('input[name=role]:checked')].map(
    (box) => box.value as MachineRole,
  );
  const request: SaveSetupRequest = {
    pin: byId<HTMLInputElement>('pin').value,
    roles,
    hubUrl: byId<HTMLInputElement>('hub-url').value.trim(),
    screenAssignments: {},
    pairing: {},
  };
  const newPin = byId<HTMLInputElement>('new-pin').value;
  if (newPin) request.newPin = newPin;
  const counterId = byId<HTMLInputElement>('counter-id').value.trim();
  if (counterId) request.counterId = counterId;
  for (const role of SCREEN_ROLES) {
    const screenId = byId<HTMLSelectElement>(`screen-${role}`).value;
    if (screenId) request.screenAssignments[role] = Number(screenId);
    const code = byId<HTMLInputElement>(`pair-${role}`).value.trim();
    if (code && request.pairing) request.pairing[role] = code;
  }
  return request;
}

async function main(): Promise<void> {
  const shell = window.guichetShell;
  if (!shell) return show('This page works only inside the Guichet desktop app.', true);
  render(await shell.getSetupState());
  byId<HTMLFormElement>('setup').addEventListener('submit', (event) => {
    event.preventDefault();
    show('Saving…');
    shell.saveSetup(collect()).then(
      (result) => (result.ok ? show('Saved. Restarting…') : show(result.reason, true)),
      (error: unknown) => show(String(error), true),
    );
  });
}

void main();
