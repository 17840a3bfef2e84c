import 'reflect-metadata';
import { RegistryError } from '@sw/persistence';
import { UsageError } from './cli-args';
import { incidentCommand } from './incidents/incident.commands';
import { hazardsCommand } from './provision/demo-hazards.commands';
import { provisionCommand } from './provision/provision.commands';
import { runCommand } from './run/run.commands';
import { loadSimulatorConfig, type SimulatorConfig } from './simulator.config';

const USAGE = `usage: simulator <command> [options]

  provision [--url mqtt://…] [--credentials FILE] [--json]
      registers the demo district (8 enterprises under 3205, every risk category) idempotently and
      writes the gateways' credentials (a gateway that existed gets a new secret)
  provision --bench --gateways N --points M [--interval-s 60] [--per-enterprise 500] [--hash-concurrency 8]
      registers N gateways × M temperature points for benchmarks (default file .demo/bench-credentials.json)
  hazards [--api http://127.0.0.1:3000] [--json]
      records the demo district's hazards in every state (reported … signed off, one overdue) and a
      public report through the running api, as the users demo.duty and demo.safety (created when
      missing); idempotent. Needs ADMIN_PASSWORD, DEMO_DUTY_PASSWORD, DEMO_SAFETY_PASSWORD
  run [--credentials FILE] [--url mqtt://…] [--qos 0|1] [--duration S] [--summary-s 10] [--no-control]
      runs every gateway of the file as an MQTT client; incidents via the control API
  run --gateways N --points M --interval-ms I --per-message K --qos 0|1 [--url …] [--duration 60] [--json]
      load mode: first N gateways × M points of the bench file; --json prints the achieved rates
  incident co_leak|cooling_water_loss|hopper_over_temperature|gateway_silent [--gateway CODE] [--point CODE] [--duration S]
  incident list | incident end <id>

Environment: DATABASE_URL, SIMULATOR_BROKER_URL (mqtt://127.0.0.1:1883), SIMULATOR_CONTROL_HOST (127.0.0.1),
SIMULATOR_CONTROL_PORT (3009), SIMULATOR_API_URL (http://127.0.0.1:3000), SIMULATOR_CREDENTIALS (.demo/credentials.json at the repo root),
SIMULATOR_MODBUS_HOST (127.0.0.1), SIMULATOR_MODBUS_PORT (1502): where \`run\` serves the demo's Modbus TCP device`;

const COMMANDS: Record<string, (config: SimulatorConfig, args: string[]) => Promise<number>> = {
  provision: provisionCommand,
  hazards: (config, args) => hazardsCommand(config, args),
  run: runCommand,
  incident: incidentCommand,
};

async function main(argv: string[]): Promise<number> {
  const command = COMMANDS[argv[0] ?? ''];
  if (!command) {
    console.error(USAGE);
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  try {
    return await command(loadSimulatorConfig(), argv.slice(1));
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || err instanceof RangeError || code.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof RegistryError) {
      console.error(`error: ${err.message}`);
      return err.kind === 'not_found' ? 3 : 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`error: ${err.message}`);
    process.exit(1);
  },
);
