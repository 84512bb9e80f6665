import { mountScreen } from '../shared/boot';
import { AuthGate } from '../shared/AuthGate';
import { AdminScreen } from './AdminScreen';
import './admin.css';

mountScreen(<AuthGate roles={['admin']}>{() => <AdminScreen />}</AuthGate>);
