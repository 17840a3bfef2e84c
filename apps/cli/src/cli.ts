import type { DataSource } from 'typeorm';
import { RegistryError } from '@sw/persistence';
import { gradesCompute } from './commands/grading.commands';
import { enterpriseAdd, gatewayAdd, gatewayRotate, pointAdd, type Output } from './commands/registry.commands';

export const USAGE = `usage: sw [--json] <command> [options]

  enterprise add --name N --uscc CODE --region 320505 --categories metal_dust[,steel…] [--dust-workers N] [--employees N]
  gateway add    --enterprise <id|uscc> --code GW-01 [--protocol mqtt|modbus-tcp --modbus-host H --modbus-port 502 --unit-id 1 --poll-ms 1000]
  gateway rotate --code GW-01
  point add      --gateway GW-01 --code CO-01 --type co --name 一氧化碳 [--unit ppm] [--location L] [--mandatory] [--interval 60]
                 [--thresholds '{"high":{"yellow":24}}'] [--register '{"function":"holding","address":0,"type":"float32"}']
  grades compute [--day YYYY-MM-DD] [--region 3205]   risk grading (风险等级) now; replaces the day's rows

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/safety_watch); grades compute also
INFLUX_URL, INFLUX_DB, INFLUX_USERNAME, INFLUX_PASSWORD, GRADING_WEIGHTS, GRADING_THRESHOLDS`;

const COMMANDS = {
  'enterprise add': enterpriseAdd,
  'gateway add': gatewayAdd,
  'gateway rotate': gatewayRotate,
  'point add': pointAdd,
  'grades compute': gradesCompute,
} as const;

/** Exit codes: 0 done (or help), 2 bad usage or invalid input, 3 not found; anything else is thrown. */
export const EXIT = { ok: 0, usage: 2, notFound: 3 } as const;

export interface CliIo {
  /** Opens (and migrates) the database; called only once a command has been recognised. */
  openDataSource(): Promise<DataSource>;
  stdout(line: string): void;
  stderr(line: string): void;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv[0] === '--json';
  const args = json ? argv.slice(1) : [...argv];
  const key = `${args[0] ?? ''} ${args[1] ?? ''}`;
  const command = key in COMMANDS ? COMMANDS[key as keyof typeof COMMANDS] : undefined;
  if (!command) {
    const asked = args.length === 0 || args[0] === 'help' || args[0] === '--help' || args[0] === '-h';
    if (asked) io.stdout(USAGE);
    else io.stderr(`error: unknown command "${args.slice(0, 2).join(' ')}"\n\n${USAGE}`);
    return asked ? EXIT.ok : EXIT.usage;
  }
  const out: Output = (value, text) => io.stdout(json ? JSON.stringify(value) : text);
  const ds = await io.openDataSource();
  try {
    await command(ds, args.slice(2), out);
    return EXIT.ok;
  } catch (err) {
    if (!isUserError(err)) throw err;
    const message = (err as Error).message;
    io.stderr(json ? JSON.stringify({ error: message }) : `error: ${message}`);
    return err instanceof RegistryError && err.kind === 'not_found' ? EXIT.notFound : EXIT.usage;
  } finally {
    await ds.destroy();
  }
}

function isUserError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof RegistryError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'));
}
