// The staff PIN prompt behind the hidden gesture: quit the app or open the setup.
import type { StaffAction } from '../../preload/api';

const form = document.getElementById('pin-form') as HTMLFormElement;
const pin = document.getElementById('pin') as HTMLInputElement;
const message = document.getElementById('message') as HTMLParagraphElement;

function send(action: StaffAction): void {
  const shell = window.guichetShell;
  if (!shell) return;
  shell.unlockStaff(pin.value, action).then(
    (result) => {
      if (!result.ok) {
        message.textContent = result.reason;
        message.className = 'message error';
        pin.value = '';
      }
    },
    (error: unknown) => (message.textContent = String(error)),
  );
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
  send(submitter?.value === 'exit' ? 'exit' : 'setup');
});
document.getElementById('cancel')?.addEventListener('click', () => send('cancel'));
