import 'reflect-metadata';
import { createDataSource, RegistryError } from '@sw/persistence';
import { loadCliConfig } from './cli.config';
import { enterpriseAdd, gatewayAdd, gatewayRotate, pointAdd, type Output } from './commands/registry.commands';

const USAGE = `usage: sw [--json] <command> [options]

  enterprise add --name N --uscc CODE --region 320505 --categories metal_dust[,steel…] [--dust-workers N] [--employees N]
  gateway add    --enterprise <id|uscc> --code GW-01 [--protocol mqtt|modbus-tcp --modbus-host H --modbus-port 502 --unit-id 1 --poll-ms 1000]
  gateway rotate --code GW-01
  point add      --gateway GW-01 --code CO-01 --type co --name 一氧化碳 [--unit ppm] [--location L] [--mandatory] [--interval 60]
                 [--thresholds '{"high":{"yellow":24}}'] [--register '{"function":"holding","address":0,"type":"float32"}']

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/safety_watch)`;

const COMMANDS = {
  'enterprise add': enterpriseAdd,
  'gateway add': gatewayAdd,
  'gateway rotate': gatewayRotate,
  'point add': pointAdd,
} as const;

async function main(argv: string[]): Promise<number> {
  const json = argv[0] === '--json';
  const args = json ? argv.slice(1) : argv;
  const key = `${args[0] ?? ''} ${args[1] ?? ''}` as keyof typeof COMMANDS;
  const command = COMMANDS[key];
  if (!command) {
    console.error(USAGE);
    return args.length === 0 || args[0] === 'help' || args[0] === '--help' ? 0 : 2;
  }
  const out: Output = (value, text) => console.log(json ? JSON.stringify(value) : text);
  const ds = await createDataSource({ url: loadCliConfig().DATABASE_URL, poolSize: 1, applicationName: 'cli' }).initialize();
  try {
    await command(ds, args.slice(2), out);
    return 0;
  } catch (err) {
    if (err instanceof RegistryError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(json ? JSON.stringify({ error: (err as Error).message }) : `error: ${(err as Error).message}`);
      return err instanceof RegistryError && err.code === 'not_found' ? 3 : 2;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  },
);
