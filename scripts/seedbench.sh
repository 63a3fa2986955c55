#!/usr/bin/env bash
# Seed figures for BENCHMARKS.md: build opensom, seed SCHOOLS schools of
# PUPILS pupils under /usr/bin/time -v while sampling the resident memory
# every 5 s, then serve the seeded database, log in with the first pupil
# account `opensom accounts --json` lists and read its grades.
#   usage: scripts/seedbench.sh SCHOOLS PUPILS [DB] [YEARS]
#   DB: "sqlite" (default, a fresh file in a temporary directory) or an
#   empty postgres:// database. NOW=yyyy-mm-dd pins the date (default today).
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:?schools}
pupils=${2:?pupils}
db=${3:-sqlite}
years=${4:-1}

work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/opensom" ./cmd/opensom
[ "$db" = sqlite ] && db="$work/seed.db"
now=()
[ -n "${NOW:-}" ] && now=(--now "$NOW")

echo "== seed: $schools schools of $pupils pupils, $years year(s), ${3:-sqlite}"
/usr/bin/time -v -o "$work/time" "$work/opensom" seed --db "$db" --schools "$schools" \
	--pupils "$pupils" --years "$years" "${now[@]}" --progress lines >"$work/seed.out" 2>&1 &
timer=$!
rss=()
while kill -0 "$timer" 2>/dev/null; do
	child=$(pgrep -P "$timer" || true)
	if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
		rss+=("$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$child/status")")
	fi
	sleep 5
done
wait "$timer" || { cat "$work/seed.out"; echo "seedbench: seed failed"; exit 1; }
tail -n 1 "$work/seed.out"
grep -E 'Elapsed|Maximum resident|User time|System time' "$work/time"
n=${#rss[@]}
if [ "$n" -gt 0 ]; then
	echo "resident MB at 25/50/75/100% of the run: ${rss[$((n / 4))]} ${rss[$((n / 2))]}" \
		"${rss[$((3 * n / 4))]} ${rss[$((n - 1))]} (max of the samples $(printf '%s\n' "${rss[@]}" |
		sort -n | tail -n 1))"
fi
[ -f "$db" ] && echo "database file: $(du -h "$db" | cut -f1)"

echo "== serve the seeded database"
start=$(date +%s%N)
. scripts/serve.sh
start_server "$work/serve.log" --db "$db"
echo "ready in $(( ($(date +%s%N) - start) / 1000000 )) ms"

start=$(date +%s%N)
"$work/opensom" accounts --db "$db" --json >"$work/accounts.json"
echo "accounts --json: $(jq length "$work/accounts.json") accounts in" \
	"$(( ($(date +%s%N) - start) / 1000000 )) ms"
read -r tenant user password leerling < <(jq -r \
	'[.[] | select(.role == "leerling")][0] | "\(.tenant_uuid) \(.username) \(.password) \(.leerling_ids[0])"' \
	"$work/accounts.json")
token=$(curl -sf "http://$addr/oauth2/token" \
	-d "grant_type=password&username=$tenant\\$user&password=$password&scope=openid" \
	-d "client_id=D50E0C06-32D1-4B41-A137-A9A850C892C2" | jq -r .access_token)
curl -sf -o /dev/null -D "$work/headers" -H "Authorization: Bearer $token" \
	-H "Accept: application/json" -H "Range: items=0-99" \
	"http://$addr/rest/v1/resultaten/huidigVoorLeerling/$leerling"
echo "pupil $user: grades $(grep -i '^content-range' "$work/headers" | tr -d '\r')"
kill -TERM "$pid"; wait "$pid"; pid=
