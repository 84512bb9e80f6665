import { mountScreen } from '../shared/boot';
import { AuthGate } from '../shared/AuthGate';
import { CounterScreen } from './CounterScreen';
import './counter.css';

mountScreen(
  <AuthGate roles={['counter']}>
    {(me) => <CounterScreen counterId={me.counterId ?? adminCounterChoice()} />}
  </AuthGate>,
);

/** An admin opening /counter?counter=ID acts for that counter (the hub allows admins). */
function adminCounterChoice(): string | null {
  return new URLSearchParams(location.search).get('counter');
}
