// The hub in an Electron utility process, as a child the supervisor can watch.
import { utilityProcess } from 'electron';
import type { SupervisedChild } from './process-supervisor';
import { HubReport, type HubStartRequest } from './hub-messages';

export function startUtilityHub(
  entry: string,
  request: HubStartRequest,
  onReport: (report: HubReport) => void,
): SupervisedChild {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Guichet hub', stdio: 'inherit' });
  child.on('spawn', () => child.postMessage(request));
  child.on('message', (message: unknown) => {
    const report = HubReport.safeParse(message);
    if (report.success) onReport(report.data);
  });
  return {
    onExit: (listener) => child.on('exit', listener),
    kill: () => void child.kill(),
  };
}
