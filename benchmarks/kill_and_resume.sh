#!/usr/bin/env bash
# The batch's done-when run: N fictional cases, the batch killed with SIGKILL after KILL_AT
# PDFs, then run again; prints what was left and whether the manifest matches the files.
# Run: benchmarks/kill_and_resume.sh [N=1000] [KILL_AT=4000] [FOLDER=/tmp/sipdocs-kill]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}; kill_at=${2:-4000}; folder=${3:-/tmp/sipdocs-kill}
rm -rf "$folder"; cases=$folder/cases; out=$folder/out
.venv/bin/python -m benchmarks.fictional_cases "$cases" "$count"
batch=(.venv/bin/sipdocs batch "$cases" --out "$out" --doc kallelse --format pdf --jobs 2 -q)

start=$SECONDS
setsid "${batch[@]}" 2>/dev/null &
pid=$!
while [ "$(find "$out" -name '*.pdf' 2>/dev/null | wc -l)" -lt "$kill_at" ]; do sleep 1; done
kill -9 -- "-$pid"
wait "$pid" 2>/dev/null || true
echo "killed after $((SECONDS - start)) s with $(find "$out" -name '*.pdf' | wc -l) PDFs"
echo "temporary files in the scratch folder: $(find "$out/.sipdocs/tmp" -type f | wc -l)"
echo "files that are not whole PDFs: $(find "$out"/SIP-* -type f | while read -r f; do
  head -c5 "$f" | grep -q '%PDF-' && tail -c6 "$f" | grep -q '%%EOF' || echo "$f"; done | wc -l)"

start=$SECONDS
"${batch[@]}"
echo "second run: $((SECONDS - start)) s"
.venv/bin/python - "$out" <<'PY'
import hashlib, json, sys
from pathlib import Path
out = Path(sys.argv[1])
rows = json.loads((out / "manifest.json").read_text())
files = list(out.glob("SIP-*/*"))
bad = [r for r in rows if hashlib.sha256((out / r["path"]).read_bytes()).hexdigest() != r["sha256"]]
print(f"manifest rows {len(rows)}, files {len(files)}, hash mismatches {len(bad)}")
PY
