#!/usr/bin/env bash
# Fails when the folders under DIR include each other in a cycle (DIR's own files count as one
# folder, "."). Prints the folder graph's edges that form the loop.
# usage: check_folder_cycles.sh SOURCE_ROOT DIR
set -euo pipefail
cd "$1"
dir=$2
edges=$(grep -rHo "#include \"$dir/[^\"]*\"" "$dir" --include='*.cpp' --include='*.hpp' \
  | sed -E "s|^$dir/?([^:]*):#include \"$dir/(.*)\"$|\1 \2|" \
  | awk '{
      split($1, a, "/"); split($2, b, "/");
      from = (length(a) > 1) ? a[1] : ".";
      to = (length(b) > 1) ? b[1] : ".";
      if (from != to) print from, to
    }' | sort -u)
if ! out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null) || [ -n "$out" ]; then
  echo "FAIL: folders of $dir include each other in a cycle:"
  printf '%s\n' "$out"
  exit 1
fi
echo "ok: $(printf '%s\n' "$edges" | wc -l) include edges between the folders of $dir, no cycle"
