#!/usr/bin/env bash
# Conformance, part of `make test`: each suite against a fresh server on a temp store:
#  - python-scim's scim2-tester (`scim2 … test`, PyPI scim2-cli): every check must be SUCCESS;
#  - Okta's own OIN suites (../shared/conformance/runscope.py, the token sent the Header-Auth
#    way): every step must pass;
#  - Microsoft's SCIM Postman collections (../shared/conformance/postman.py, collections in
#    ../shared/conformance/azuread/, the token sent as Bearer): no assertion may fail;
#  - Okta's suites and Microsoft's collections again against a tenant's Base URL of a server
#    of many organisations (`serve --tenants`, `/scim/v2/acme`), with the tenant's token;
# and checks each store afterwards: git status and git fsck clean, scimgit verify clean.
# Every server but scim2-tester's runs with the default deprovisioning guard.
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
TOKEN=conformance-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
status=0

# start_server NAME [serve options]: a fresh server on $WORK/NAME; sets BASE and STORE.
start_server() {
  STORE=$WORK/$1
  local log=$WORK/$1.log
  local name=$1
  shift
  if [ $# -eq 0 ]; then set -- --repo "$STORE" --token "conformance=$TOKEN"; fi
  "$BIN" serve "$@" --port 0 --durability fast --log-level warning > "$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  BASE=""
  for _ in $(seq 1 300); do
    BASE=$(sed -n 's/^Base URL: //p' "$log")
    [ -n "$BASE" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "scimgit serve did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$BASE" ] || { cat "$log"; echo "no Base URL from scimgit serve" >&2; exit 1; }
  echo "conformance: $name server at $BASE"
}

# run_okta: Okta's OIN suites against $BASE with $TOKEN.
run_okta() {
  echo "== Okta OIN suites (runscope.py)"
  if ! python3 "$SHARED/conformance/runscope.py" "$SHARED"/conformance/okta/*.json --seed --base "$BASE" --auth "$TOKEN" > "$WORK/okta.txt" 2>&1; then
    status=1
    grep -vE '^PASS' "$WORK/okta.txt" | head -40
  fi
  grep -E 'passed, .* failed' "$WORK/okta.txt"
}

# run_postman: Microsoft's Postman collections against $BASE with $TOKEN.
run_postman() {
  echo "== Microsoft SCIM Postman collections (postman.py)"
  if ! python3 "$SHARED/conformance/postman.py" --base "$BASE" --token "$TOKEN" > "$WORK/postman.txt" 2>&1; then
    status=1
  fi
  local summary failed passed
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/postman.txt" | tail -1 || true)
  echo "${summary:-no summary from postman.py}"
  failed=$(echo "$summary" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
  passed=$(echo "$summary" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
  if [ -z "$summary" ] || [ "${failed:-1}" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
    grep -E 'FAIL|UNTRANSLATED|Error' "$WORK/postman.txt" | head -40
    status=1
  fi
}

# check_store: the store a suite wrote to is clean and sound.
check_store() {
  sleep 1.5
  if [ -n "$(git -C "$STORE" --no-optional-locks status --porcelain --untracked-files=all)" ]; then
    echo "git status is not clean:"; git -C "$STORE" --no-optional-locks status --porcelain | head; status=1
  fi
  if [ -n "$(git -C "$STORE" fsck --strict --no-dangling 2>&1)" ]; then echo "git fsck is not clean"; status=1; fi
  "$BIN" verify --repo "$STORE" || status=1
  echo "$(git -C "$STORE" rev-list --count HEAD) commits; last: $(git -C "$STORE" log -1 --format='%an: %s')"
}

# scim2-tester creates some forty users and groups and deletes them within seconds: a mass
# deprovisioning, which the deprovisioning guard exists to hold (it trips after 25). Its
# server runs with --guard off; every other suite runs with the default guard on.
start_server scim2 --repo "$WORK/scim2" --token "conformance=$TOKEN" --guard off
echo "== scim2-tester (scim2 --url $BASE test), --guard off"
SCIM_CLI_HEADERS="Authorization: Bearer $TOKEN" scim2 --url "$BASE" test > "$WORK/scim2.txt" 2>&1 || true
results=$(grep -E '^[A-Z]+ ' "$WORK/scim2.txt" | grep -v '^Performing' || true)
success=$(echo "$results" | grep -c '^SUCCESS ' || true)
others=$(echo "$results" | grep -v '^SUCCESS ' | grep -c . || true)
echo "$success checks SUCCESS, $others not"
if [ "$success" -eq 0 ] || [ "$others" -ne 0 ]; then
  grep -v '^SUCCESS' "$WORK/scim2.txt" | head -40
  status=1
fi
echo "== the store afterwards"
check_store

start_server okta
run_okta
echo "== the store afterwards"
check_store

start_server entra
run_postman
echo "== the store afterwards"
check_store

# A server of many organisations: the same suites at one tenant's Base URL, another tenant
# beside it.
TENANTS=$WORK/tenants
"$BIN" tenant add globex --root "$TENANTS" > /dev/null
OKTA_TOKEN=$("$BIN" tenant add acme --root "$TENANTS" | tail -1)
ENTRA_TOKEN=$("$BIN" tenant add initech --root "$TENANTS" | tail -1)
start_server tenants --tenants "$TENANTS"
TENANT_BASE=$BASE
for tenant in acme initech; do
  BASE=${TENANT_BASE/\{tenant\}/$tenant}
  echo "conformance: tenant $tenant at $BASE"
  if [ $tenant = acme ]; then TOKEN=$OKTA_TOKEN; run_okta; else TOKEN=$ENTRA_TOKEN; run_postman; fi
  STORE=$TENANTS/$tenant
  echo "== the tenant's store afterwards"
  check_store
done
if [ "$(git -C "$TENANTS/globex" rev-list --count HEAD)" != 1 ]; then echo "tenant globex was written to"; status=1; fi

[ $status -eq 0 ] && rm -rf "$WORK"
exit $status
