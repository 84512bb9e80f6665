import { mountScreen } from '../shared/boot';
import { AuthGate } from '../shared/AuthGate';
import { DisplayScreen } from './DisplayScreen';
import './display.css';

mountScreen(<AuthGate roles={['display']}>{() => <DisplayScreen />}</AuthGate>);
