# Sourced by the load, soak and seed scripts: start_server LOG ARGS...
# runs "$work/opensom serve ARGS" on a free loopback port with JSON logs to
# LOG, waits until it listens, and sets pid and addr. The log is made
# before the server starts, so that reading it never races the shell that
# creates it (under set -e such a read ends the script).
start_server() {
	local log=$1
	shift
	: >"$log"
	"$work/opensom" serve --addr 127.0.0.1:0 --log-format json "$@" \
		>"${log%.log}.out" 2>"$log" &
	pid=$!
	addr=
	for _ in $(seq 3000); do
		addr=$(sed -n 's/.*"msg":"listening","addr":"\([^"]*\)".*/\1/p' "$log")
		[ -n "$addr" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	tail -20 "$log"
	echo "$(basename "$0"): server did not start"
	return 1
}
