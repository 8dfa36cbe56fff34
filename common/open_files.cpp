#include "common/open_files.hpp"

#include <sys/resource.h>

namespace fleet {

open_file_limit raise_open_file_limit() {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) != 0)
    return {};
  open_file_limit out{l.rlim_cur, l.rlim_cur};
  if (l.rlim_cur < l.rlim_max) {
    l.rlim_cur = l.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &l) == 0)
      out.after = l.rlim_cur;
  }
  return out;
}

} // namespace fleet
