#!/usr/bin/env bash
# The admin console in a real browser, part of `make test`: a fresh server, a store seeded as
# Okta and Entra would (Entra creates people and a group; Okta deactivates three and takes
# one out of the group), an admin token, then scripts/console-browser.py in headless
# Chromium. Screenshots of every page go to $OUT (default .build/console-screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SCIMGIT_BIN:-.build/debug/scimgit}
OUT=${OUT:-.build/console-screenshots}
WORK=$(mktemp -d /tmp/scimgit-console.XXXXXX)
OKTA=okta-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
ENTRA=entra-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$BIN" serve --repo "$WORK/store" --port 0 --durability fast --log-level warning --token "okta=$OKTA" --token "entra=$ENTRA" > "$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
BASE=""
for _ in $(seq 1 300); do
  BASE=$(sed -n 's/^Base URL: //p' "$WORK/serve.log"); [ -n "$BASE" ] && break
  kill -0 $PID 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.1
done
ORIGIN=${BASE%/scim/v2}
scim() { # METHOD PATH TOKEN [JSON]
  curl -sf -X "$1" -H "Authorization: Bearer $3" -H "Content-Type: application/scim+json" ${4:+-d "$4"} "$BASE$2"
}
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ids=()
for name in ada grace alan edsger barbara; do
  ids+=("$(scim POST /Users "$ENTRA" "{\"userName\":\"$name@example.com\",\"displayName\":\"${name^}\",\"active\":true,\"emails\":[{\"value\":\"$name@example.com\",\"primary\":true}]}" | id_of)")
done
group=$(scim POST /Groups "$ENTRA" "{\"displayName\":\"Sales\",\"members\":[{\"value\":\"${ids[0]}\"},{\"value\":\"${ids[1]}\"},{\"value\":\"${ids[2]}\"}]}" | id_of)
sleep 1
for id in "${ids[1]}" "${ids[2]}" "${ids[3]}"; do
  scim PATCH "/Users/$id" "$OKTA" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}' > /dev/null
done
scim PATCH "/Groups/$group" "$OKTA" "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"${ids[1]}\\\"]\"}]}" > /dev/null
ADMIN=$("$BIN" token add ada --admin --repo "$WORK/store" | tail -1)
echo "== the admin console in headless Chromium ($ORIGIN/admin/)"
python3 scripts/console-browser.py "$ORIGIN" "$ADMIN" "$OUT"
