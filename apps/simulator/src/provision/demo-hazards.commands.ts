import { parseArgs } from 'node:util';
import { UsageError } from '../cli-args';
import type { SimulatorConfig } from '../simulator.config';
import { DemoHazardsService } from './demo-hazards.service';

/**
 * `simulator hazards`: the demo district's hazards in every state and a public report, through the
 * running api (after `provision`). Needs ADMIN_USERNAME, ADMIN_PASSWORD, DEMO_DUTY_PASSWORD and
 * DEMO_SAFETY_PASSWORD (npm run demo keeps them in .demo/secrets.env).
 */
export async function hazardsCommand(config: SimulatorConfig, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: v } = parseArgs({ args, options: { api: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new UsageError(`${name} is required`);
    return value;
  };
  const service = new DemoHazardsService({
    apiUrl: (v.api ?? config.SIMULATOR_API_URL).replace(/\/+$/, ''),
    admin: { username: env['ADMIN_USERNAME'] || 'admin', password: need('ADMIN_PASSWORD') },
    passwords: { duty: need('DEMO_DUTY_PASSWORD'), safety: need('DEMO_SAFETY_PASSWORD') },
    log: (line) => (v.json ? console.error : console.log)(line),
  });
  const result = await service.seed();
  if (v.json) console.log(JSON.stringify(result));
  else console.log(`hazards: ${result.hazards.filter((h) => h.created).length} recorded, ${result.hazards.filter((h) => !h.created).length} already there; public report ${result.report}`);
  return 0;
}
