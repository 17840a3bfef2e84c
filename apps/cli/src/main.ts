import 'reflect-metadata';
import { createDataSource } from '@sw/persistence';
import { loadCliConfig } from './cli.config';
import { runCli } from './cli';

runCli(process.argv.slice(2), {
  openDataSource: () => createDataSource({ url: loadCliConfig().DATABASE_URL, poolSize: 1, applicationName: 'cli' }).initialize(),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  },
);
