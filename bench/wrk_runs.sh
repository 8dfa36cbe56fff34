# Sourced by the wrk benchmarks: one wrk run reduced to its figures, medians of
# alternating runs, table rows and an optional profile. Set WRK_THREADS, WRK_CONNECTIONS and
# WRK_SECONDS first; WRK_SERVER_PID adds the CPU that process used during each run.

# User plus system CPU ticks (1/100 s) of process $1 so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Prints "requests/s p99 non-2xx wrk-cpu% [server-cpu%]" of one wrk run, CPU in percent of
# one core. Call it in a subshell of its own (`$(measure ...)`): wrk's CPU figure is the
# children times of that subshell. `$work` is the benchmark's scratch folder.
measure() {
  local out cpu times_file=$work/times.$BASHPID server0=""
  [ -n "${WRK_SERVER_PID:-}" ] && server0=$(cpu_ticks "$WRK_SERVER_PID")
  out=$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency "$@" 2>&1)
  times >"$times_file"
  # The children line, "0m1.405s 0m0.008s", as seconds.
  cpu=$(awk 'function sec(t,  p) { sub(/s$/, "", t); split(t, p, "m"); return p[1] * 60 + p[2] }
             NR == 2 { print sec($1) + sec($2) }' "$times_file")
  rm -f "$times_file"
  local server=""
  [ -n "$server0" ] && server=$(($(cpu_ticks "$WRK_SERVER_PID") - server0))
  awk -v cpu="$cpu" -v server="$server" -v seconds="$WRK_SECONDS" '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END {
      printf "%s %s %s %.0f", rps, p99, bad + 0, 100 * cpu / seconds
      if (server != "") printf " %.0f", server / seconds
      printf "\n"
    }' <<<"$out"
}

# Prints the median of "rps ..." lines (by rps).
median() { sort -g | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }

row() { # name, "rps p99 bad [wrk-cpu% [server-cpu%]]"
  local rps p99 bad cpu server
  read -r rps p99 bad cpu server <<<"$2"
  local per_request=""
  [ -n "$server" ] && per_request=$(awk -v s="$server" -v r="$rps" \
    'BEGIN { printf " (%.0f us a request)", s / 100 / r * 1e6 }')
  printf "  %-44s %10.0f req/s   p99 %-9s%s%s%s\n" "$1" "$rps" "$p99" \
    "${cpu:+  wrk CPU ${cpu}%}" "${server:+  server CPU ${server}%$per_request}" \
    "$([ "$bad" -gt 0 ] && echo "  ($bad non-2xx)")"
}

ratio() { awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { printf "%.2f", a / b }'; }

# With PROFILE=FILE set: records a perf profile of process $1 for 3 s, starting
# PROFILE_DELAY (default 1) seconds from now, while the runs go on.
profile_in_background() {
  [ -n "${PROFILE:-}" ] || return 0
  (sleep "${PROFILE_DELAY:-1}"; perf record -F 999 -g -p "$1" -o "$PROFILE" -- sleep 3 \
    >/dev/null 2>&1) &
}
