import { mountScreen } from '../shared/boot';
import { AuthGate } from '../shared/AuthGate';
import { KioskScreen } from './KioskScreen';
import './kiosk.css';

mountScreen(<AuthGate roles={['kiosk']}>{() => <KioskScreen />}</AuthGate>);
