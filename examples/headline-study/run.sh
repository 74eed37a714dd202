#!/usr/bin/env bash
# Reproduces the headline study: results (JSON, CSV), the HTML report, the figures and report.png.
# Run from anywhere; about 10 s of simulation. report.png needs /usr/bin/chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
mkdir -p "$here/out"
# Exit code 1 means a KPI failed at some point: KPI2 does at the far end, which is the finding, not
# an error; stderr names where it first fails for each option.
node bin/mcsim.js sweep examples/headline-study/study.yaml --json --out "$here/out/result.json" --csv "$here/out/result.csv" 2> "$here/out/kpi.txt" || [ $? -eq 1 ]
cat "$here/out/kpi.txt"
node bin/mcsim.js report "$here/out/result.json" -o "$here/out/report.html" --title "Private call set-up to a migrated user: KMS URI in the redirection vs KMS lookup"
node bin/mcsim.js report "$here/out/result.json" --figure private_call.setup:p95 -o "$here/figure-p95.svg"
node bin/mcsim.js report "$here/out/result.json" --figure private_call.setup:diff -o "$here/figure-diff.svg"
# Where the lookup's penalty goes: its paired difference by category at every point, and where the
# interconnect's part passes half of it.
node bin/mcsim.js report "$here/out/result.json" --figure private_call.setup:breakdown-diff -o "$here/figure-breakdown-diff.svg"
node --import tsx "$here/penalty.ts" "$here/out/result.json" | tee "$here/out/penalty.txt"
node bin/mcsim.js chart scenarios/private-call-to-migrated-user.yaml --variant kms-lookup -o "$here/out/sequence-kms-lookup.svg"
node --import tsx "$here/figure.ts" "$here/out/report.html" "$here/report.png"
