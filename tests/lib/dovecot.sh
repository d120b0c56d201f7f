# dovecot.sh: a private Dovecot IMAP server on 127.0.0.1 for the fetch tests, and helpers
# to fill and inspect its mailboxes.  Source it after tests/lib/tap.sh:
#
#	. "$(dirname "$0")/lib/tap.sh"
#	. "$(dirname "$0")/lib/dovecot.sh"
#	dovecot_usable || skip_all "$DOVECOT_WHY"
#	dovecot_start || exit 1
#
# Users: abuse (password secret) and other (password other); with `dovecot_start oauth`
# the token good-token also logs abuse in by XOAUTH2 or OAUTHBEARER.  The server lives in
# $WORK/dovecot and is stopped when the script exits, whatever way it exits.

DOVECOT_DIR=$WORK/dovecot
DOVECOT_CONF=$DOVECOT_DIR/dovecot.conf
DOVECOT_CA=$DOVECOT_DIR/cert.pem
DOVECOT_TEMPLATE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dovecot.conf.in
: "${DOVECOT:=$(command -v dovecot || echo /usr/sbin/dovecot)}"
: "${DOVEADM:=$(command -v doveadm || echo /usr/bin/doveadm)}"
export DOVECOT_DIR DOVECOT_CONF DOVECOT_CA

# imap-login will not run as root: as root the server runs as nobody, otherwise as ourselves.
if [ "$(id -u)" -eq 0 ]; then
	DOVECOT_RUNAS=nobody DOVECOT_RUNGROUP=nogroup
else
	DOVECOT_RUNAS=$(id -un) DOVECOT_RUNGROUP=$(id -gn)
fi

# dovecot_usable: is everything here to run the server?  If not, say why in $DOVECOT_WHY.
dovecot_usable() {
	local t
	DOVECOT_WHY=
	for t in "$DOVECOT" "$DOVEADM" openssl python3; do
		command -v "$t" >/dev/null 2>&1 || { DOVECOT_WHY="no $t"; return 1; }
	done
	if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null 2>&1; then
		DOVECOT_WHY="no setpriv to drop root"; return 1
	fi
	case $("$DOVECOT" --version 2>/dev/null) in
	2.3.*) ;;
	*) DOVECOT_WHY="dovecot is not 2.3 (the config is 2.3 syntax)"; return 1 ;;
	esac
}

# _dovecot_ports N: N distinct free ports on 127.0.0.1, held open together so none repeats.
_dovecot_ports() {
	python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

# _dovecot_introspect: the OAuth2 token introspection endpoint, on a port of its own
# choosing, written to $DOVECOT_DIR/oauth.port once it listens.  It answers GET or POST
# /introspect, the token taken from a POST form, the query or a Bearer header (Dovecot's
# introspection_mode post, get with the URL ending "?token=", or auth), and logs one line
# per request to log/introspect.log.
_dovecot_introspect() {
	python3 - "$DOVECOT_DIR/oauth.port" >>"$DOVECOT_DIR/log/introspect.log" 2>&1 <<'EOF' &
import http.server, json, os, sys, urllib.parse

class Introspect(http.server.BaseHTTPRequestHandler):
    def token(self):
        url = urllib.parse.urlsplit(self.path)
        form = urllib.parse.parse_qs(url.query)
        if self.command == "POST":
            n = int(self.headers.get("Content-Length") or 0)
            form.update(urllib.parse.parse_qs(self.rfile.read(n).decode("latin-1")))
        bearer = self.headers.get("Authorization", "")
        if bearer.startswith("Bearer "):
            return bearer[7:]
        return form.get("token", [""])[0]

    def answer(self):
        if not self.path.startswith("/introspect"):
            self.send_error(404)
            return
        token = self.token()
        reply = {"active": True, "username": "abuse"} if token == "good-token" else {"active": False}
        body = json.dumps(reply).encode()
        print(self.command, self.path, repr(token), "->", reply["active"], flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Introspect)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
EOF
	DOVECOT_OAUTH_PID=$!
}

# _dovecot_greets PORT: does an IMAP server answer on PORT?  (The master binds the port
# before the login process runs, so wait for the greeting, not just the connection.)
_dovecot_greets() {
	( exec 3<>"/dev/tcp/127.0.0.1/$1" && read -r -t 1 line <&3 &&
		case $line in '* OK'*) exit 0 ;; *) exit 1 ;; esac ) 2>/dev/null
}
_dovecot_listens() {
	( exec 3<>"/dev/tcp/127.0.0.1/$1" ) 2>/dev/null
}

# dovecot_start [oauth]: write the config, start the server, wait (5 s at most) until both
# ports answer.  Sets IMAP_PORT, IMAPS_PORT (and OAUTH_PORT).  Non-zero, with the logs as
# TAP comments, if it did not come up.
dovecot_start() {
	local mode=${1:-} mechs= uncomment= debug=no try i sig
	[ -z "${DOVECOT_DEBUG:-}" ] || debug=yes
	dovecot_stop
	mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" "$DOVECOT_DIR/log" "$DOVECOT_DIR/home"

	# Stop the server however the script ends: in front of tap.sh's EXIT trap (rm -rf
	# $WORK), and make INT/TERM/HUP go through it too, which bash does not do by itself.
	if [ -z "${_DOVECOT_TRAPPED:-}" ]; then
		eval "set -- $(trap -p EXIT)"
		trap "dovecot_stop; ${3:-}" EXIT
		for sig in INT TERM HUP; do
			[ -n "$(trap -p $sig)" ] || trap "exit 1" $sig
		done
		_DOVECOT_TRAPPED=1
	fi

	# One certificate per script is enough: it is only there to be checked by the client.
	if [ ! -s "$DOVECOT_CA" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-days 2 -subj /CN=127.0.0.1 \
			-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
			-keyout "$DOVECOT_DIR/key.pem" -out "$DOVECOT_CA" \
			>"$DOVECOT_DIR/log/openssl.log" 2>&1 || { dovecot_logs; return 1; }
		rm -f "$DOVECOT_DIR/log/openssl.log"
	fi
	printf '%s\n' 'abuse:{PLAIN}secret' 'other:{PLAIN}other' > "$DOVECOT_DIR/passwd"

	OAUTH_PORT=
	if [ "$mode" = oauth ]; then
		rm -f "$DOVECOT_DIR/oauth.port"
		_dovecot_introspect
		for i in $(seq 1 100); do
			[ -s "$DOVECOT_DIR/oauth.port" ] && break
			sleep 0.05
		done
		OAUTH_PORT=$(cat "$DOVECOT_DIR/oauth.port" 2>/dev/null)
		[ -n "$OAUTH_PORT" ] || { echo "# introspection server did not start"; dovecot_logs; return 1; }
		export OAUTH_PORT
		mechs=${DOVECOT_OAUTH_MECHS:-xoauth2 oauthbearer} uncomment='s/^#oauth#//'
		# post sends token=... as a form (get and auth work too, tried: see _dovecot_introspect).
		cat > "$DOVECOT_DIR/dovecot-oauth2.conf" <<-EOF
		introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect
		introspection_mode = post
		force_introspection = yes
		username_attribute = username
		active_attribute = active
		active_value = true
		EOF
	fi

	# The unprivileged server must reach its directory: $WORK is mode 700 and root's.
	if [ "$(id -u)" -eq 0 ]; then
		chmod o+x "$WORK"
		chown -R "$DOVECOT_RUNAS:$DOVECOT_RUNGROUP" "$DOVECOT_DIR"
	fi

	# The ports are free when picked but not held: should one be taken meanwhile, pick again.
	for try in 1 2 3; do
		set -- $(_dovecot_ports 2)
		IMAP_PORT=$1 IMAPS_PORT=$2
		export IMAP_PORT IMAPS_PORT
		sed -e "s|@WORK@|$DOVECOT_DIR|g" -e "s|@IMAP_PORT@|$IMAP_PORT|g" \
			-e "s|@IMAPS_PORT@|$IMAPS_PORT|g" -e "s|@OAUTH_PORT@|$OAUTH_PORT|g" \
			-e "s|@OAUTH_MECHS@|$mechs|g" -e "s|@DEBUG@|$debug|g" \
			-e "s|@USER@|$DOVECOT_RUNAS|g" -e "s|@GROUP@|$DOVECOT_RUNGROUP|g" \
			-e "$uncomment" "$DOVECOT_TEMPLATE" > "$DOVECOT_CONF"
		if [ "$(id -u)" -eq 0 ]; then
			( cd / && exec setpriv --reuid="$DOVECOT_RUNAS" --regid="$DOVECOT_RUNGROUP" \
				--clear-groups "$DOVECOT" -c "$DOVECOT_CONF" )
		else
			( cd / && exec "$DOVECOT" -c "$DOVECOT_CONF" )
		fi </dev/null >"$DOVECOT_DIR/log/start.log" 2>&1 && break
		grep -q 'Address already in use' "$DOVECOT_DIR/log/start.log" && continue
		echo "# dovecot did not start"
		dovecot_logs
		return 1
	done

	for i in $(seq 1 100); do
		_dovecot_greets "$IMAP_PORT" && _dovecot_listens "$IMAPS_PORT" && return 0
		sleep 0.05
	done
	echo "# dovecot did not answer on 127.0.0.1:$IMAP_PORT and :$IMAPS_PORT"
	dovecot_logs
	return 1
}

# dovecot_stop: stop the server and the introspection server, and wait until they are gone.
# The master leads a session of its own, its children in it: the session is the server.
# Zombies do not count (here pid 1 is slow to reap them); no wait for anything not started.
dovecot_stop() {
	local pid i
	if [ -n "${DOVECOT_OAUTH_PID:-}" ]; then
		kill "$DOVECOT_OAUTH_PID" 2>/dev/null
		wait "$DOVECOT_OAUTH_PID" 2>/dev/null
		DOVECOT_OAUTH_PID=
	fi
	[ -s "$DOVECOT_DIR/run/master.pid" ] || return 0
	pid=$(cat "$DOVECOT_DIR/run/master.pid")
	rm -f "$DOVECOT_DIR/run/master.pid"
	# A clean stop takes about a second: the master waits for its log process.
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		_dovecot_alive "$pid" || return 0
		sleep 0.05
	done
	# Still there after 5 s: no mercy, the next start wants a clean slate.
	pkill -KILL -s "$pid" 2>/dev/null
	return 0
}
_dovecot_alive() { ps -o stat= -s "$1" 2>/dev/null | grep -qv '^Z'; }

# dovecot_logs: the server's logs as TAP comments, for a test that failed.
dovecot_logs() {
	local f
	for f in "$DOVECOT_DIR"/log/*.log; do
		[ -s "$f" ] || continue
		echo "# --- $f"
		sed 's/^/#   /' "$f"
	done
}

_doveadm() { "$DOVEADM" -c "$DOVECOT_CONF" "$@"; }

# imap_create USER MAILBOX
imap_create() { _doveadm mailbox create -u "$1" "$2"; }

# maildir_add USER [--folder MAILBOX] FILE...: deliver the files as new, unseen messages
# (to INBOX unless told, the mailbox made if need be).  doveadm, not files dropped in
# Maildir/new, so that UIDs are given out at once and in the order of the files.
maildir_add() {
	local user=$1 box=INBOX f
	shift
	if [ "${1:-}" = --folder ]; then box=$2; shift 2; fi
	if [ "$box" != INBOX ] && ! imap_status "$user" "$box" messages >/dev/null 2>&1; then
		imap_create "$user" "$box" || return 1
	fi
	for f; do
		_doveadm save -u "$user" -m "$box" < "$f" || return 1
	done
}

# imap_flags USER MAILBOX: one "UID FLAGS" line per message, e.g. "3 \Seen $Arfdesk", or just
# "3".  \Recent is left out: it belongs to whichever session opened the mailbox first, and
# doveadm's own fetch takes it away from the IMAP client.
imap_flags() {
	_doveadm -f tab fetch -u "$1" 'uid flags' mailbox "$2" all | tail -n +2 |
		sed -e 's/\t/ /' -e 's/\\Recent//' -e 's/  */ /g' -e 's/ $//'
}

# imap_flag_add USER MAILBOX UID FLAG...: set flags or keywords, as another client would.
imap_flag_add() {
	local user=$1 box=$2 uid=$3
	shift 3
	_doveadm flags add -u "$user" "$*" mailbox "$box" uid "$uid"
}

# imap_status USER MAILBOX FIELD: one STATUS field (messages, unseen, uidvalidity, uidnext...).
imap_status() {
	local out
	out=$(_doveadm -f tab mailbox status -u "$1" "$3" "$2") || return 1
	printf '%s\n' "$out" | tail -n 1 | cut -f 2
}

# imap_count USER MAILBOX: how many messages it holds.
imap_count() { imap_status "$1" "$2" messages; }

# imap_uidvalidity USER MAILBOX
imap_uidvalidity() { imap_status "$1" "$2" uidvalidity; }

# imap_uidvalidity_reset USER MAILBOX: give the mailbox a new UIDVALIDITY (the old one + 1),
# messages, UIDs and flags kept, as after a server-side rebuild; prints the new value.
imap_uidvalidity_reset() {
	local new
	new=$(imap_uidvalidity "$1" "$2") || return 1
	new=$((new + 1))
	_doveadm mailbox update -u "$1" --uid-validity "$new" "$2" && echo "$new"
}
