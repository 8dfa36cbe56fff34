# Sourced by the fleetctl tests: run fleetctl into $work/{out,err,rc} and check what it did.
# Needs $ctl (the fleetctl binary) and $work (a scratch folder); sets $status to 1 on a failure.
status=0
check() { if [ "$2" = ok ]; then echo "ok   $1"; else echo "FAIL $1"; status=1; fi; }
run() { "$ctl" "$@" >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; }
rc() { cat "$work/rc"; }
out_has() { grep -q -- "$1" "$work/out"; }
err_is_one_line_with() { [ "$(wc -l <"$work/err")" -eq 1 ] && grep -q -- "$1" "$work/err"; }
