#!/bin/bash
# A sweep as a Slurm job array: task i of N runs --shard i/N. From the checkout's root, submit
#   docs/slurm-sweep.sh --submit [sbatch options]
# which sbatches the array, then the merge as a job that waits for every array task to succeed,
# and prints both job ids. Options after --submit go to the array's sbatch (e.g. --array=0-3
# --cpus-per-task=4); the shard count follows the array's size. The sweep is set by the variables
# below, each of which the environment of --submit may override (sbatch passes it on).
# See docs/cluster.md.
#SBATCH --job-name=mcsim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=results/slurm-%A_%a.log
set -euo pipefail

SCENARIO=${MCSIM_SCENARIO:-scenarios/private-call-to-migrated-user.yaml}
SWEEP=${MCSIM_SWEEP:-'experiment.sweep={"topology.defaults.interconnect.latency": {from: 10ms, to: 200ms, step: 10ms}}'}
RUNS=${MCSIM_RUNS:-500}
SEED=${MCSIM_SEED:-1}
RESULTS=${MCSIM_RESULTS:-results}

if [ "${1:-}" = "--submit" ]; then
  shift
  mkdir -p "$RESULTS"
  array=$(sbatch --parsable --output="$RESULTS/slurm-%A_%a.log" "$@" "$0")
  merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --job-name=mcsim-merge \
    --output="$RESULTS/merge-%j.log" \
    --wrap "node bin/mcsim.js merge '$RESULTS'/part-*.json -o '$RESULTS/result.json'")
  echo "array ${array%%;*} merge ${merge%%;*}"
  exit 0
fi

# Every task runs the same command but for its shard: merge checks that they agree.
node bin/mcsim.js sweep "$SCENARIO" --set "$SWEEP" --runs "$RUNS" --seed "$SEED" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --out "$RESULTS/part-${SLURM_ARRAY_TASK_ID}.json"
