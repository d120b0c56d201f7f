# bench/desk-db.sh: sourced by cases.sh and console.sh. The database of N complaints that
# arfdesk itself built (see cases.sh), made once and cached under BENCH_DIR, upgraded by a newer
# arfdesk at its first write (the seconds in $upgrade), with some cases worked in bulk as a desk
# would. Expects here, N, SEED, DAYS, ARFDESK, BENCH_DIR, work and die; sets db, reports,
# upgrade and run().
sum=$(cksum <"$here/gen-arf.py" | awk '{ print $1 }')
days=
[ "$DAYS" = 90 ] || days=-d$DAYS
db=$BENCH_DIR/desk-$N$days-s$SEED-$sum.db
run() { "$ARFDESK" -d "$db" "$@"; }

if [ ! -f "$db.done" ]; then
	mkdir -p "$BENCH_DIR"
	rm -f "$BENCH_DIR/desk-$N$days-s$SEED-"*
	echo "building $db: $N complaints through arfdesk import (minutes) ..." >&2
	# 40 customers, each holding a few /8s of the made-up address space, and some domains.
	python3 - "$work/customers.csv" <<'EOF'
import random, sys
rng = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("id,name,email,networks,domains\n")
    octets = [a for a in range(1, 224) if a not in (10, 100, 127, 169, 172, 192, 198, 203)]
    rng.shuffle(octets)
    for i in range(40):
        nets = " ".join("%d.0.0.0/8" % a for a in octets[i * 2:i * 2 + 2])
        f.write("c-%03d,Customer %d,abuse@c%d.example,%s,\n" % (i, i, i, nets))
EOF
	run customers import "$work/customers.csv" >/dev/null
	start=$(date +%s)
	python3 "$here/gen-arf.py" --count "$N" --seed "$SEED" --format mbox --out - \
		--ips 20000 --domains 5000 --days "$DAYS" --recent 2>/dev/null |
		run import -q --json - >"$work/import.json"
	echo "built in $(($(date +%s) - start)) s: $(cat "$work/import.json")" >&2
	: >"$db.done"
fi

# An upgrade (a newer schema) happens at the first write: time it.
start=$(date +%s)
run settings >/dev/null 2>&1 || true
run case ip:192.0.2.1 --note "bench: upgrade" >/dev/null 2>&1 || true
upgrade=$(($(date +%s) - start))

reports=$(sqlite3 "$db" 'SELECT COUNT(*) FROM reports' 2>/dev/null || run reports --json | wc -l)
[ "$reports" -ge "$N" ] || die "$db holds $reports reports, not $N; remove $db.done to rebuild"

# Work some cases as a desk would: the top 200 IPs opened, 50 of them taken, 300 resolved, 100
# ignored, 20 domains notified. Done once (the marker is a note on ip:192.0.2.2).
if ! run case --json ip:192.0.2.2 2>/dev/null | grep -q 'bench: worked'; then
	run groups --by ip --json --limit 200 | run case - --state open >/dev/null
	run groups --by ip --json --limit 50 | run case - --take >/dev/null
	run groups --by ip --json --sort last --limit 400 | tail -n 300 |
		run case - --state resolved >/dev/null
	run groups --by ip --json --sort key --limit 100 | run case - --state ignored >/dev/null
	run groups --by domain --json --limit 20 | run case - --state notified >/dev/null
	run case ip:192.0.2.2 --note "bench: worked" >/dev/null 2>&1
fi

