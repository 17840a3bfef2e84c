import 'reflect-metadata';
import { runAlarmsBench } from './alarms/alarms-bench';
import { runChaosBench } from './chaos/chaos-bench';
import { runCommitBench } from './commit/commit-bench';
import { runIngestBench } from './ingest/ingest-bench';
import { runLoad, type LoadSpec } from './load/load-generator';
import { runPipelineBench } from './pipeline/pipeline-bench';
import { runBareRelay } from './relay/bare-relay';
import { runScaleOutBench } from './scale-out/scale-out-bench';
import { runScaleBench } from './scale/scale-bench';

const mode = process.argv[2] ?? 'pipeline';
const BENCHMARKS: Record<string, (argv: string[]) => Promise<void>> = {
  pipeline: runPipelineBench,
  scale: runScaleBench,
  'scale-out': runScaleOutBench,
  ingest: runIngestBench,
  alarms: runAlarmsBench,
  chaos: runChaosBench,
  commit: runCommitBench,
};

if (mode === 'load') {
  process.once('message', (spec) => {
    const ready = () =>
      new Promise<void>((resolve) => {
        process.once('message', () => resolve());
        process.send?.({ type: 'ready' });
      });
    runLoad(spec as LoadSpec, ready).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (err: Error) => {
        console.error(`load generator: ${err.message}`);
        process.exit(1);
      },
    );
  });
} else if (mode === 'relay') {
  void runBareRelay();
} else if (mode in BENCHMARKS) {
  BENCHMARKS[mode]?.(process.argv.slice(3)).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
} else {
  console.error('usage: bench [pipeline|scale|scale-out|ingest|alarms|commit|chaos|load|relay]');
  process.exit(2);
}
