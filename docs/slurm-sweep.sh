#!/bin/bash
# A sweep as a Slurm job array: task i runs --shard i/N. Submit with
#   sbatch docs/slurm-sweep.sh
# and the merge step, which waits for every array task to succeed:
#   sbatch --dependency=afterok:<array job id> --wrap 'node bin/mcsim.js merge results/part-*.json -o results/result.json'
# (or run docs/slurm-sweep.sh --submit, which does both). See docs/cluster.md.
#SBATCH --job-name=mcsim-sweep
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=results/slurm-%A_%a.log
set -euo pipefail

SCENARIO=scenarios/private-call-to-migrated-user.yaml
SWEEP='experiment.sweep={"topology.defaults.interconnect.latency": {from: 10ms, to: 200ms, step: 10ms}}'
SHARDS=8   # = the size of --array above

if [ "${1:-}" = "--submit" ]; then
  mkdir -p results
  array=$(sbatch --parsable "$0")
  sbatch --dependency="afterok:${array}" --job-name=mcsim-merge --output=results/merge-%j.log \
    --wrap "node bin/mcsim.js merge results/part-*.json -o results/result.json"
  exit 0
fi

node bin/mcsim.js sweep "$SCENARIO" --set "$SWEEP" --runs 500 --seed 1 \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --out "results/part-${SLURM_ARRAY_TASK_ID}.json"
