// `guichet` — the command line: set up a branch, run its hub, add devices, run the demo.
import { stopOnSignals } from '../../http/stop-on-signals';
import { mkdirSync } from 'node:fs';
import { Command, Option } from 'commander';
import { isValidTimeZone } from '../../core/numbering';
import { DEMO_BRANCH } from '../demo/demo-branch';
import { HubError } from '../hub-error';
import { openHub } from '../hub';
import { initBranch, initDemoBranch, rotateDemoTokens, type DemoTokens } from '../branch-setup';
import { databaseFile, startHub } from '../run-hub';
import { registerServerCommands } from '../../server/cli/server-commands';
import { registerHardwareCommands } from './hardware-commands';
import { startAgent } from '../agent/run-agent';
import {
  AgentFlags,
  CliError,
  DemoFlags,
  DeviceAddFlags,
  HubFlags,
  InitFlags,
  parseFlags,
  printerFromFlags,
} from './options';

const program = new Command('guichet')
  .description(
    'Guichet: queue management for public offices (kiosks, displays, counters, branch hub).',
  )
  .showHelpAfterError();

program
  .command('init')
  .description('Create a branch in an empty data folder and print the first device tokens.')
  .requiredOption('--data <dir>', 'data folder of the hub (created if missing)')
  .option('--demo', 'create the demo branch: 4 services, 4 counters, one device per role')
  .option('--json', 'print the result as JSON')
  .option('--name <name>', 'branch name (without --demo)')
  .option('--time-zone <tz>', 'IANA time zone of the branch, e.g. Europe/Paris (without --demo)')
  .option('--lang <code>', 'default language (without --demo)')
  .action((raw: unknown) => {
    const flags = parseFlags(InitFlags, raw);
    mkdirSync(flags.data, { recursive: true });
    const hub = openHub(databaseFile(flags.data));
    try {
      let result;
      if (flags.demo) {
        result = initDemoBranch(hub);
      } else {
        const timeZone = flags.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (!isValidTimeZone(timeZone))
          throw new CliError(`--time-zone: unknown time zone "${timeZone}"`);
        const lang = flags.lang ?? 'fr';
        result = initBranch(hub, {
          ...DEMO_BRANCH,
          id: `branch-${Date.now().toString(36)}`,
          name: flags.name ?? 'Guichet branch',
          timeZone,
          defaultLang: lang,
          languages: [lang],
          announcementTemplates: {
            [lang]: DEMO_BRANCH.announcementTemplates[lang] ?? '{number} → {counter}',
          },
        });
      }
      if (flags.json) {
        console.log(JSON.stringify(result));
      } else {
        console.log(`Branch created in ${flags.data}.`);
        printTokens(result.tokens);
      }
    } finally {
      hub.close();
    }
  });

// The printer options, in the same forms on the hub (`--printer`: kiosks without their own) and
// on a kiosk agent (its kiosk's printer); parsed by HubFlags / AgentFlags (options.ts).
const printerUrlOption = (whose: string) =>
  new Option(
    '--printer <url>',
    `${whose}: tcp://host:9100, serial:/dev/ttyUSB0?baud=19200, file:/dev/usb/lp0`,
  );
const paperWidthOption = () =>
  new Option('--paper-width <mm>', 'paper of the --printer: 58 or 80').default('80');
const printerTypeOption = () =>
  new Option('--printer-type <type>', 'the --printer speaks epson (ESC/POS) or star').default(
    'epson',
  );

program
  .command('hub')
  .description('Run the branch hub headless: the LAN API, the stream and the screens.')
  .requiredOption('--data <dir>', 'data folder made by `guichet init`')
  .option('--host <host>', 'address to listen on', '0.0.0.0')
  .option('--port <port>', 'port to listen on', '4280')
  .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
  .addOption(printerUrlOption('printer of kiosks without their own'))
  .addOption(paperWidthOption())
  .addOption(printerTypeOption())
  .option(
    '--public-url <url>',
    'base of the follow-up URLs printed as QR codes (default: the address the kiosk used)',
  )
  .option(
    '--scanner <url>',
    'serial scanner on this machine: serial:/dev/ttyACM0?baud=9600[&kiosk=ID]',
  )
  .option('--central <url>', 'link to a central server (stored: later starts keep the link)')
  .option(
    '--central-token <token>',
    'the branch token for --central (or set GUICHET_CENTRAL_TOKEN, kept out of the process list)',
  )
  .action(async (raw: unknown) => {
    const flags = parseFlags(HubFlags, {
      ...(raw as object),
      centralToken:
        (raw as { centralToken?: string }).centralToken ?? process.env.GUICHET_CENTRAL_TOKEN,
    });
    if (flags.central !== undefined && flags.centralToken === undefined)
      throw new CliError('--central needs --central-token (or GUICHET_CENTRAL_TOKEN)');
    const running = await startHub({
      dataDir: flags.data,
      host: flags.host,
      port: flags.port,
      logger: { level: flags.logLevel },
      ...printerFromFlags(flags),
      ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
      ...(flags.scanner ? { scanner: flags.scanner } : {}),
      ...(flags.central && flags.centralToken
        ? { central: { url: flags.central, token: flags.centralToken } }
        : {}),
    });
    console.log(`Guichet hub listening on ${running.url}`);
    stopOnSignals(running);
  });

program
  .command('agent')
  .description(
    'Run a kiosk agent on a kiosk machine that is not the hub: it serves the kiosk screen, prints its tickets and keeps issuing them from number blocks while the hub is unreachable.',
  )
  .requiredOption('--data <dir>', "the agent's own data folder (created if missing)")
  .requiredOption('--hub <url>', 'the branch hub, e.g. http://192.168.1.10:4280')
  .option('--token <token>', "the kiosk's device token (or set GUICHET_AGENT_TOKEN)")
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on', '4281')
  .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
  .addOption(printerUrlOption("this kiosk's printer"))
  .addOption(paperWidthOption())
  .addOption(printerTypeOption())
  .action(async (raw: unknown) => {
    const flags = parseFlags(AgentFlags, {
      ...(raw as object),
      token: (raw as { token?: string }).token ?? process.env.GUICHET_AGENT_TOKEN,
    });
    const running = await startAgent({
      dataDir: flags.data,
      hubUrl: flags.hub,
      token: flags.token,
      host: flags.host,
      port: flags.port,
      logger: { level: flags.logLevel },
      ...printerFromFlags(flags),
    });
    console.log(`Guichet agent listening on ${running.url}`);
    stopOnSignals(running);
  });

program
  .command('device')
  .description('Manage devices.')
  .command('add')
  .description('Create a device and print its token (shown once) and pairing code.')
  .requiredOption('--data <dir>', 'data folder of the hub')
  .requiredOption('--role <role>', 'kiosk, display, counter or admin')
  .option('--counter <id>', 'the counter a counter device acts for')
  .option('--name <name>', 'a name to recognise it by')
  .option('--json', 'print the result as JSON')
  .action((raw: unknown) => {
    const flags = parseFlags(DeviceAddFlags, raw);
    const hub = openHub(databaseFile(flags.data));
    try {
      hub.branch.settings();
      const created = hub.devices.create(
        {
          role: flags.role,
          ...(flags.name ? { name: flags.name } : {}),
          ...(flags.counter ? { counterId: flags.counter } : {}),
        },
        hub.system,
      );
      if (flags.json)
        console.log(
          JSON.stringify({
            deviceId: created.device.id,
            token: created.token,
            pairingCode: created.pairingCode,
          }),
        );
      else
        console.log(`${created.token}\n(pairing code, valid 15 minutes: ${created.pairingCode})`);
    } finally {
      hub.close();
    }
  });

program
  .command('demo')
  .description(
    'Run the demo branch (what `npm start` does): creates it on first run, prints URLs with fresh tokens.',
  )
  .option('--data <dir>', 'data folder of the demo', '.guichet-demo')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on', '4280')
  .action(async (raw: unknown) => {
    const flags = parseFlags(DemoFlags, raw);
    mkdirSync(flags.data, { recursive: true });
    const setup = openHub(databaseFile(flags.data));
    let tokens: DemoTokens;
    try {
      tokens = setup.branch.exists() ? rotateDemoTokens(setup) : initDemoBranch(setup).tokens;
    } finally {
      setup.close();
    }
    const running = await startHub({
      dataDir: flags.data,
      host: flags.host,
      port: flags.port,
      logger: { level: 'warn' },
    });
    console.log(`Guichet demo branch "${DEMO_BRANCH.name}" is running on ${running.url}\n`);
    const screen = (path: string, token: string) =>
      `${running.url}/${path}?token=${encodeURIComponent(token)}`;
    console.log(`  Kiosk:    ${screen('kiosk', tokens.kiosk)}`);
    console.log(`  Display:  ${screen('display', tokens.display)}`);
    for (const [counterId, token] of Object.entries(tokens.counters))
      console.log(`  Counter:  ${screen('counter', token)}   (${counterId})`);
    console.log(`  Admin:    ${screen('admin', tokens.admin)}`);
    console.log(`  API:      ${running.url}/api/v1/openapi.json\n`);
    printTokens(tokens);
    console.log('\nPress Ctrl+C to stop.');
    stopOnSignals(running);
  });

registerHardwareCommands(program);
registerServerCommands(program);

function printTokens(tokens: DemoTokens | { admin: string }): void {
  console.log('Device tokens (keep them secret; each is shown only now):');
  for (const [role, value] of Object.entries(tokens)) {
    if (typeof value === 'string') console.log(`  ${role.padEnd(9)} ${value}`);
    else
      for (const [counterId, token] of Object.entries(value))
        console.log(`  ${counterId.padEnd(9)} ${token}`);
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError || error instanceof HubError) {
      console.error(`guichet: ${error.message}`);
      process.exit(error instanceof CliError ? 2 : 1);
    }
    throw error;
  }
}
