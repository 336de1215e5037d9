#!/usr/bin/env bash
# Conformance, part of `make test`: starts the built server on a temp store, then runs
#  - python-scim's scim2-tester (`scim2 … test`, PyPI scim2-cli): every check must be SUCCESS;
#  - Okta's own OIN suites (../shared/conformance/runscope.py, the token sent the Header-Auth
#    way): every step must pass;
# and checks the store afterwards: git status and git fsck clean, scimgit verify clean.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SCIMGIT_BIN:-.build/debug/scimgit}
SHARED=${SHARED:-../shared}
# A clone made elsewhere (git clone . /tmp/x/c) finds the team's folder beside its origin.
if [ ! -d "$SHARED" ]; then
  ORIGIN=$(git remote get-url origin 2>/dev/null || true)
  [ -n "$ORIGIN" ] && [ -d "$ORIGIN/../shared" ] && SHARED="$ORIGIN/../shared"
fi
WORK=$(mktemp -d /tmp/scimgit-conformance.XXXXXX)
STORE=$WORK/store
TOKEN=conformance-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
LOG=$WORK/serve.log

"$BIN" serve --repo "$STORE" --port 0 --token "conformance=$TOKEN" --durability fast --log-level warning > "$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  BASE=$(sed -n 's/^Base URL: //p' "$LOG")
  [ -n "$BASE" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; echo "scimgit serve did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE" ] || { cat "$LOG"; echo "no Base URL from scimgit serve" >&2; exit 1; }
echo "conformance: server at $BASE"
status=0

echo "== scim2-tester (scim2 --url $BASE test)"
SCIM_CLI_HEADERS="Authorization: Bearer $TOKEN" scim2 --url "$BASE" test > "$WORK/scim2.txt" 2>&1 || true
results=$(grep -E '^[A-Z]+ ' "$WORK/scim2.txt" | grep -v '^Performing' || true)
success=$(echo "$results" | grep -c '^SUCCESS ' || true)
others=$(echo "$results" | grep -v '^SUCCESS ' | grep -c . || true)
echo "$success checks SUCCESS, $others not"
if [ "$success" -eq 0 ] || [ "$others" -ne 0 ]; then
  grep -v '^SUCCESS' "$WORK/scim2.txt" | head -40
  status=1
fi

echo "== Okta OIN suites (runscope.py)"
if ! python3 "$SHARED/conformance/runscope.py" "$SHARED"/conformance/okta/*.json --seed --base "$BASE" --auth "$TOKEN" > "$WORK/okta.txt" 2>&1; then
  status=1
  grep -vE '^PASS' "$WORK/okta.txt" | head -40
fi
grep -E 'passed, .* failed' "$WORK/okta.txt"

echo "== the store afterwards"
sleep 1.5
if [ -n "$(git -C "$STORE" --no-optional-locks status --porcelain --untracked-files=all)" ]; then
  echo "git status is not clean:"; git -C "$STORE" status --porcelain | head; status=1
fi
if [ -n "$(git -C "$STORE" fsck --strict --no-dangling 2>&1)" ]; then echo "git fsck is not clean"; status=1; fi
"$BIN" verify --repo "$STORE" || status=1
echo "$(git -C "$STORE" rev-list --count HEAD) commits; last: $(git -C "$STORE" log -1 --format='%an: %s')"
[ $status -eq 0 ] && rm -rf "$WORK"
exit $status
