// The screen-wide hub client. A 401 anywhere means our pairing cookie is gone (revoked device,
// hub reset): bump `authLost` so the AuthGate goes back to the pairing form.
import { createHubClient, Observable } from '../api';

export const authLost = new Observable(0);

export const hub = createHubClient({
  onUnauthorized: () => authLost.set(authLost.get() + 1),
});
