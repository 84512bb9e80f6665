// Entry of the hub's utility process (bundled to dist/electron/hub-entry.mjs): in a utility
// process, process.parentPort is the channel to the main process.
import { serveHub, type HubPort } from './hub-service';

serveHub((process as unknown as { parentPort: HubPort }).parentPort, (code) => process.exit(code));
