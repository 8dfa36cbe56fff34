# Sourced by the other scripts: repository root and ccache settings that make caches hit
# across clones in different folders.
FLEET_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CCACHE_BASEDIR=$FLEET_ROOT
export CCACHE_NOHASHDIR=1
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
cd "$FLEET_ROOT"
